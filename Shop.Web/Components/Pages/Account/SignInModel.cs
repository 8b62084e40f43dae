using System.ComponentModel.DataAnnotations;
using ShopAspire.ClientInput;

namespace Shop.Web.Components.Pages.Account;

public sealed class SignInModel
{
    [Required, EmailAddress, ClientText(254)]
    public string Email { get; set; } = "";

    [Required, ClientText(128)]
    public string Password { get; set; } = "";
}
