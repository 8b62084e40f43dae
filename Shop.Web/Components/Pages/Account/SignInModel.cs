using System.ComponentModel.DataAnnotations;

namespace Shop.Web.Components.Pages.Account;

public sealed class SignInModel
{
    [Required, EmailAddress]
    public string Email { get; set; } = "";

    [Required]
    public string Password { get; set; } = "";
}
