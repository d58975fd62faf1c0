/**
 * The consumers scenario shared by the end-to-end tests: the `pedidos` provider (an OpenAPI API, a
 * GraphQL schema and an Avro event) and what its consumers web, mobile and billing read of it.
 */

export const OPENAPI = `openapi: 3.0.3
info: { title: pedidos, version: 1.0.0 }
paths:
  /orders/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
        - { name: expand, in: query, schema: { type: string } }
      responses:
        "200":
          description: an order
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: { type: integer }
                  status: { type: string, enum: [open, closed] }
                  lines: { type: array, items: { type: object, properties: { sku: { type: string }, qty: { type: integer } } } }
                  total: { type: number }
`;
export const SDL = `type Query { order(id: ID!): Order }
type Order { id: ID! total: Float! status: String! }
`;
export const OPS = `query OrderTotal($id: ID!) { order(id: $id) { id total } }
`;
export const event = (fields: string[]) => `{
  "type": "record", "name": "PedidoCreado", "namespace": "acme.pedidos",
  "fields": [
    ${fields.join(",\n    ")}
  ]
}
`;
export const ID = `{ "name": "id", "type": "string" }`;
export const IMPORTE = `{ "name": "importe", "type": "double" }`;
export const IMPORTE_DEFAULT = `{ "name": "importe", "type": "double", "default": 0 }`;
