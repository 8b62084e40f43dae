using System.Text;
using ShopAspire.ClientInput;

namespace Shop.IntegrationTests.Hostile;

/// <summary>The one rule for client text (ShopAspire.ServiceDefaults/ClientInput), without a stack.</summary>
public class ClientTextTests
{
    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x0001)]
    [InlineData(0x001B)]
    [InlineData(0x0009)]
    [InlineData(0x000A)]
    [InlineData(0x007F)]
    [InlineData(0x0085)]
    [InlineData(0x009B)]
    public void Control_characters_are_refused_in_single_line_text_naming_the_code_point(int codePoint)
    {
        var problem = ClientText.Problem($"a{(char)codePoint}b", "Name", 200);

        Assert.NotNull(problem);
        Assert.StartsWith("Name ", problem);
        Assert.Contains($"U+{codePoint:X4}", problem);
    }

    [Fact]
    public void Multi_line_text_may_hold_tabs_and_line_breaks_but_no_other_control_character()
    {
        Assert.Null(ClientText.Problem("Line one\r\n\tLine two\n", "Description", 4000, TextShape.MultiLine));
        Assert.NotNull(ClientText.Problem("Line one\0", "Description", 4000, TextShape.MultiLine));
        Assert.NotNull(ClientText.Problem("Bell \u0007", "Description", 4000, TextShape.MultiLine));
    }

    // UTF-16 code units in hex: lone surrogates cannot travel safely inside test-case strings.
    [Theory]
    [InlineData("D800")]
    [InlineData("0061 D83D 0062")]
    [InlineData("DC00")]
    [InlineData("DE00 D83D")]
    [InlineData("0065 D83D")]
    public void Unpaired_surrogates_are_not_unicode_and_are_refused(string codeUnits)
    {
        var text = new string(codeUnits.Split(' ').Select(u => (char)Convert.ToUInt16(u, 16)).ToArray());

        var problem = ClientText.Problem(text, "Name", 200, TextShape.MultiLine);

        Assert.NotNull(problem);
        Assert.Contains("unpaired surrogate", problem);
    }

    [Theory]
    [InlineData("Kettle")]
    [InlineData("Crème brûlée 🍮 set")]
    [InlineData("Ünïcödé – “quotes” · 日本語")]
    [InlineData("Robert'); DROP TABLE products;-- <script>")]
    public void Printable_text_in_any_script_is_accepted(string text)
    {
        Assert.Null(ClientText.Problem(text, "Name", 200));
        Assert.True(ClientText.IsAcceptable(text, 200));
    }

    [Fact]
    public void Text_over_its_limit_is_refused_with_the_limit()
    {
        Assert.Null(ClientText.Problem(new string('x', 200), "Name", 200));
        Assert.Equal("Name must be at most 200 characters.", ClientText.Problem(new string('x', 201), "Name", 200));
    }

    [Theory]
    [InlineData("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", true)]
    [InlineData("key with space", false)]
    [InlineData("ключ", false)]
    [InlineData("tab\tkey", false)]
    public void Tokens_are_visible_ascii_only(string token, bool accepted)
    {
        Assert.Equal(accepted, ClientText.Problem(token, "Idempotency-Key", 255, TextShape.Token) is null);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a+b", "a b")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("%F0%9F%8D%AE", "🍮")]
    [InlineData("100%", "100%")]
    [InlineData("%zz", "%zz")]
    public void Url_components_decode_to_their_text(string encoded, string text)
    {
        Assert.Equal(text, ClientText.TryDecodeUrlComponent(Encoding.ASCII.GetBytes(encoded)));
    }

    [Theory]
    [InlineData("%FF")]
    [InlineData("%C0%80")]
    [InlineData("%ED%A0%80")]
    [InlineData("%E2%82")]
    [InlineData("%F4%90%80%80")]
    public void Url_components_that_are_not_utf8_do_not_decode(string encoded)
    {
        Assert.Null(ClientText.TryDecodeUrlComponent(Encoding.ASCII.GetBytes(encoded)));
    }

    [Theory]
    [InlineData("?q=a%00b", "q")]
    [InlineData("?pageSize=20&q=%FF", "q")]
    [InlineData("category=kitchen&cursor=%ED%A0%80", "cursor")]
    [InlineData("?q=%1B%5B31m", "q")]
    public void A_query_string_with_unusable_text_names_the_parameter(string query, string field)
    {
        var found = ClientText.FindUrlEncodedProblem(query, TextShape.SingleLine, 2000);

        Assert.NotNull(found);
        Assert.Equal(field, found.Value.Field);
    }

    [Fact]
    public void A_parameter_name_with_a_control_character_is_named_printably()
    {
        var found = ClientText.FindUrlEncodedProblem("?a%00b=1", TextShape.SingleLine, 2000);

        Assert.NotNull(found);
        Assert.Equal("a\\u0000b", found.Value.Field);
    }

    [Fact]
    public void Forms_may_carry_line_breaks_where_queries_may_not()
    {
        Assert.Null(ClientText.FindUrlEncodedProblem("Input.Description=one%0D%0Atwo&x=%C3%A9", TextShape.MultiLine, 16_000));
        Assert.NotNull(ClientText.FindUrlEncodedProblem("q=one%0Atwo", TextShape.SingleLine, 2000));
        Assert.Null(ClientText.FindUrlEncodedProblem("?q=kettle&pageSize=20&&flag", TextShape.SingleLine, 2000));
    }

    [Fact]
    public void The_data_annotation_applies_the_same_rule()
    {
        var model = new Form { Name = "Kettle\0" };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(model, new(model), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Equal(nameof(Form.Name), Assert.Single(Assert.Single(results).MemberNames));
        Assert.Contains("U+0000", results[0].ErrorMessage);
    }

    private sealed class Form
    {
        [ClientText(200)]
        public string Name { get; set; } = "";
    }
}
