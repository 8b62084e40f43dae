namespace Shop.Api.Orders;

/// <summary>
/// Body of POST /api/v1/orders. No body (or no <c>lines</c>) checks out the cart. Ids are strings
/// and quantities decimals so that bad values reach validation and come back naming the field.
/// </summary>
public sealed record CheckoutRequest(IReadOnlyList<CheckoutLineRequest?>? Lines = null);

public sealed record CheckoutLineRequest(string? ProductId, decimal? Quantity);

/// <summary>A validated line about to be ordered.</summary>
public sealed record RequestedLine(int Index, Guid ProductId, int Quantity);

public static class CheckoutValidation
{
    public static Dictionary<string, string[]> Validate(IReadOnlyList<CheckoutLineRequest?> lines, out List<RequestedLine> valid)
    {
        var errors = new Dictionary<string, string[]>();
        valid = [];
        if (lines.Count == 0)
        {
            errors["lines"] = ["An order needs at least one line."];
            return errors;
        }
        if (lines.Count > OrderLimits.MaxLines)
        {
            errors["lines"] = [$"An order has at most {OrderLimits.MaxLines} lines."];
            return errors;
        }

        var seen = new Dictionary<Guid, int>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line is null)
            {
                errors[$"lines[{i}]"] = ["A line must be an object with productId and quantity."];
                continue;
            }
            if (OrderLimits.ProductIdError(line.ProductId, out var productId) is { } idError)
            {
                errors[$"lines[{i}].productId"] = [idError];
            }
            else if (seen.TryGetValue(productId, out var first))
            {
                errors[$"lines[{i}].productId"] = [$"The product is already on line {first}; put the whole quantity on one line."];
            }
            else
            {
                seen[productId] = i;
            }
            if (OrderLimits.QuantityError(line.Quantity) is { } quantityError)
            {
                errors[$"lines[{i}].quantity"] = [quantityError];
            }
            if (errors.Count == 0)
            {
                valid.Add(new RequestedLine(i, productId, (int)line.Quantity!.Value));
            }
        }
        return errors;
    }
}
