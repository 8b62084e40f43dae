namespace Shop.IntegrationTests.ApiDocs;

/// <summary>The checker itself, without a stack: a check that never fails would prove nothing.</summary>
public class OpenApiContractTests
{
    private const string Document = """
        {
          "openapi": "3.1.1",
          "paths": {
            "/api/v1/things/{id}": {
              "get": {
                "responses": {
                  "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } },
                  "404": { "description": "Not found", "content": { "application/problem+json": { "schema": { "type": "object" } } } },
                  "304": { "description": "Not modified" }
                }
              }
            },
            "/api/v1/things": {
              "post": {
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewThing" } } } },
                "responses": { "201": { "description": "Created", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } } }
              }
            }
          },
          "components": {
            "schemas": {
              "Thing": { "type": "object", "required": ["id", "name"], "properties": { "id": { "type": "string" }, "name": { "type": "string" } } },
              "NewThing": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" }, "note": { "type": ["null", "string"] } } }
            }
          }
        }
        """;

    private readonly OpenApiContract _contract = new(Document);

    [Fact]
    public void A_documented_exchange_passes()
    {
        Assert.Empty(_contract.Check(new("GET", "/api/v1/things/42", null, null, 200, "application/json", """{"id":"42","name":"x"}""")));
        Assert.Empty(_contract.Check(new("GET", "/api/v1/things/42", null, null, 304, null, "")));
        Assert.Empty(_contract.Check(new("POST", "/api/v1/things/", "application/json", """{"name":"x"}""", 201, "application/json", """{"id":"1","name":"x"}""")));
        Assert.Empty(_contract.Check(new("DELETE", "/api/v1/things/42", null, null, 405, "application/problem+json", "{}")));
    }

    [Fact]
    public void An_undocumented_status_or_operation_is_a_violation()
    {
        Assert.Contains("status 409 is not documented", Assert.Single(_contract.Check(new("GET", "/api/v1/things/42", null, null, 409, "application/problem+json", "{}"))));
        Assert.Contains("no such operation", Assert.Single(_contract.Check(new("GET", "/api/v1/other", null, null, 200, "application/json", "{}"))));
    }

    [Fact]
    public void A_body_off_its_schema_is_a_violation()
    {
        Assert.Contains("does not match its schema", Assert.Single(_contract.Check(new("GET", "/api/v1/things/42", null, null, 200, "application/json", """{"id":42}"""))));
        Assert.Contains("content type text/html is not documented", Assert.Single(_contract.Check(new("GET", "/api/v1/things/42", null, null, 404, "text/html", "<p>"))));
        Assert.Contains("declares none", Assert.Single(_contract.Check(new("GET", "/api/v1/things/42", null, null, 304, "text/plain", "x"))));
    }

    [Fact]
    public void An_accepted_request_off_its_schema_is_a_violation_and_a_refused_one_is_not()
    {
        var accepted = new RecordedExchange("POST", "/api/v1/things", "application/json", """{"note":"no name"}""", 201, "application/json", """{"id":"1","name":"x"}""");
        Assert.Contains("request (answered 201)", Assert.Single(_contract.Check(accepted)));
        Assert.Contains("status 400 is not documented", Assert.Single(_contract.Check(accepted with { Status = 400, ResponseBody = "{}" })));
    }
}
