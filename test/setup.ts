// Tests must not depend on the machine's CI or terminal settings.
delete process.env.GITHUB_STEP_SUMMARY;
delete process.env.FORCE_COLOR;
delete process.env.NO_COLOR;
process.env.TZ = "UTC";
