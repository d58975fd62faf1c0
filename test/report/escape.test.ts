import { describe, expect, test } from "bun:test";
import { markdownCode, markdownText, oneLine, workflowData, workflowProperty, xmlAttr, xmlText } from "../../src/report/escape.ts";

describe("oneLine", () => {
  test.each([
    ["line breaks are shown, not made", "a\nb\r\nc\rd", "a\\nb\\r\\nc\\rd"],
    ["a workflow command after a newline stays on the line", "x\n::error file=evil,line=1::pwned", "x\\n::error file=evil,line=1::pwned"],
    ["ESC (colours, OSC 8 links) becomes visible", "\u001b[31mred\u001b]8;;http://x\u0007link", "\\u001b[31mred\\u001b]8;;http://x\\u0007link"],
    ["NUL, BEL, DEL and tab", "a\u0000b\u0007c\u007fd\te", "a\\u0000b\\u0007c\\u007fd\\te"],
    ["8-bit CSI and OSC", "a\u009b31mb\u009dc", "a\\u009b31mb\\u009dc"],
    ["Unicode line separators and bidi overrides", "a\u2028b\u202ec\u2066d", "a\\u2028b\\u202ec\\u2066d"],
    ["lone surrogates", "a\ud800b\udc00", "a\ufffdb\ufffd"],
    ["ordinary text is untouched", "response 'ação' removed from GET /users/{id} 👍", "response 'ação' removed from GET /users/{id} 👍"],
  ])("%s", (_name, input, expected) => {
    expect(oneLine(input)).toBe(expected);
    expect(oneLine(input)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe("markdown", () => {
  test.each([
    ["a|b", "a\\|b"],
    ["<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"],
    ["[link](x) ![img](y)", "\\[link\\](x) !\\[img\\](y)"],
    ["Int! and Float!", "Int! and Float!"],
    ["**bold** _it_ ~~s~~", "\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~"],
    ["line\nbreak", "line\\nbreak"],
    ["lone\rreturn", "lone\\rreturn"],
    ["# not a heading", "\\# not a heading"],
    ["&lt; entity", "\\&lt; entity"],
    ["\u001b[31m", "\\u001b\\[31m"],
  ])("escapes %j", (input, expected) => {
    expect(markdownText(input)).toBe(expected);
  });
  test("code spans outgrow the backticks inside and stay on one line", () => {
    expect(markdownCode("a`b")).toBe("``a`b``");
    expect(markdownCode("`x`")).toBe("`` `x` ``");
    expect(markdownCode("a\n<b>\r")).toBe("`a\\n<b>\\r`");
  });
});

describe("GitHub workflow commands", () => {
  test.each([
    ["data", workflowData, "100% a:b,c\r\nd", "100%25 a:b,c%0D%0Ad"],
    ["property", workflowProperty, "100% a:b,c\r\nd", "100%25 a%3Ab%2Cc%0D%0Ad"],
    ["data with ESC and BEL", workflowData, "\u001b[31m\u0007", "\\u001b[31m\\u0007"],
    ["data that tries a new command", workflowData, "x\n::error::pwned", "x%0A::error::pwned"],
    ["property that tries to end the properties", workflowProperty, "f.yaml,line=1::boom", "f.yaml%2Cline=1%3A%3Aboom"],
  ])("%s", (_name, fn, input, expected) => {
    const out = fn(input);
    expect(out).toBe(expected);
    expect(out).not.toMatch(/[\r\n\u0000-\u001f]/);
  });
});

describe("XML", () => {
  test("text keeps line breaks and makes markup and CDATA ends inert", () => {
    expect(xmlText("<script>]]>&\nx")).toBe("&lt;script&gt;]]&gt;&amp;\nx");
  });
  test("characters XML 1.0 forbids are shown as escapes; lone surrogates are replaced", () => {
    expect(xmlText("a\u0000b\u001bc\u0007d\ufffee\ud800")).toBe("a\\u0000b\\u001bc\\u0007d\\ufffee\ufffd");
  });
  test("attributes also escape quotes and keep line breaks as references", () => {
    expect(xmlAttr(`"it's"\n\r\t`)).toBe("&quot;it&apos;s&quot;&#10;&#13;&#9;");
  });
});
