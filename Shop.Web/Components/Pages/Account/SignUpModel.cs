using System.ComponentModel.DataAnnotations;

namespace Shop.Web.Components.Pages.Account;

/// <summary>Checked here for quick feedback; the API checks again and its field errors are shown too.</summary>
public sealed class SignUpModel
{
    [Required, EmailAddress, StringLength(254)]
    public string Email { get; set; } = "";

    [Required, StringLength(128, MinimumLength = 8)]
    public string Password { get; set; } = "";

    [Required, StringLength(100), Display(Name = "Name")]
    public string DisplayName { get; set; } = "";
}
