// A development mail server: it accepts every mail over SMTP and shows it on a web page (and as
// JSON for tests), the role MailPit or MailDev play in Aspire apps. Nothing is ever delivered.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.AddMailbox();
builder.AddSmtpReceiver();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMailboxPages();

app.Run();
