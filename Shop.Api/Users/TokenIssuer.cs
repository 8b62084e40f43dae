using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Api.Users;

/// <summary>Signs the API's access tokens (HS256; the same key validates them on every replica).</summary>
internal sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public static SymmetricSecurityKey KeyFrom(AuthOptions options) => new(Encoding.UTF8.GetBytes(options.SigningKey));

    public TokenResponse Issue(UserAccount user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = now.AddMinutes(options.Value.TokenLifetimeMinutes);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Email, user.Email),
                new Claim(JwtRegisteredClaimNames.Name, user.DisplayName),
                new Claim("role", user.Role),
            ]),
            SigningCredentials = new SigningCredentials(KeyFrom(options.Value), SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, expires, user.ToDto());
    }
}
