using System.ComponentModel.DataAnnotations;
using ShopAspire.ClientInput;

namespace Shop.Web.Components.Pages.Account;

/// <summary>Checked here for quick feedback; the API checks again and its field errors are shown too.</summary>
public sealed class SignUpModel
{
    [Required, EmailAddress, ClientText(254)]
    public string Email { get; set; } = "";

    [Required, StringLength(128, MinimumLength = 8), ClientText(128)]
    public string Password { get; set; } = "";

    [Required, ClientText(100), Display(Name = "Name")]
    public string DisplayName { get; set; } = "";
}
