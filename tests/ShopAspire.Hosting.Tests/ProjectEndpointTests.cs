using ShopAspire.Hosting;

namespace ShopAspire.Hosting.Tests;

/// <summary>A project that serves more than HTTP (a mail server's SMTP port) and the connection string it hands out.</summary>
public class ProjectEndpointTests
{
    private static (ProjectResource Mail, ProjectResource Worker) BuildModel()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var mail = builder.AddProject<ProjectEnvironmentTests.FakeProject>("mail")
            .WithEndpoint("smtp", "smtp", env: "MailSink__SmtpPort")
            .WithEndpointConnectionString("smtp");
        var worker = builder.AddProject<ProjectEnvironmentTests.FakeProject>("worker").WithReference(mail);
        mail.Resource.HttpEndpoint.AllocatedPort = 42001;
        mail.Resource.Endpoints.Single(e => e.Name == "smtp").AllocatedPort = 42002;
        worker.Resource.HttpEndpoint.AllocatedPort = 42003;
        return (mail.Resource, worker.Resource);
    }

    [Fact]
    public void An_extra_endpoint_tells_the_project_its_port_through_the_named_variable()
    {
        var (mail, _) = BuildModel();

        var env = ProjectEnvironment.For(mail, new DistributedApplicationOptions(), "mail-1");

        Assert.Equal("42002", env["MailSink__SmtpPort"]);
        Assert.Equal("http://localhost:42001", env["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void A_referencing_project_gets_the_smtp_connection_string_and_every_endpoint()
    {
        var (_, worker) = BuildModel();

        var env = ProjectEnvironment.For(worker, new DistributedApplicationOptions(), "worker-1");

        Assert.Equal("smtp://localhost:42002", env["ConnectionStrings__mail"]);
        Assert.Equal("http://localhost:42001", env["services__mail__http__0"]);
        Assert.Equal("smtp://localhost:42002", env["services__mail__smtp__0"]);
    }

    [Fact]
    public void A_connection_string_must_name_an_existing_endpoint()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var mail = builder.AddProject<ProjectEnvironmentTests.FakeProject>("mail");

        Assert.Throws<DistributedApplicationException>(() => mail.WithEndpointConnectionString("smtp"));
    }
}
