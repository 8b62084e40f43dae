using System.ComponentModel.DataAnnotations;

namespace ShopAspire.ClientInput;

/// <summary>
/// <see cref="ClientText"/>'s rule as a data annotation for form models: the storefront's forms
/// refuse what the API would refuse, with the same words, before calling it.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class ClientTextAttribute(int maxLength, TextShape shape = TextShape.SingleLine) : ValidationAttribute
{
    public int MaxLength { get; } = maxLength;

    public TextShape Shape { get; } = shape;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var problem = ClientText.Problem(value as string, validationContext.DisplayName, MaxLength, Shape);
        return problem is null
            ? ValidationResult.Success
            : new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null);
    }
}
