using System.Net.Http.Json;

namespace Shop.IntegrationTests.ApiDocs;

/// <summary>
/// Sits in every HttpClient the stack fixture hands out and shows each /api/ exchange with the
/// API to <see cref="ContractRecorder"/>: the tests' own traffic is the contract check's sample.
/// Bodies are read from memory only (JSON, string and byte contents; the response is buffered,
/// so the test still reads it); a streamed request body is not read, so the test sends exactly
/// what it meant to (chunked included) and only its response is checked.
/// </summary>
public sealed class ContractCheckHandler(ContractRecorder recorder) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!recorder.Covers(request.RequestUri))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var requestBody = request.Content is JsonContent or ByteArrayContent && request.Headers.TransferEncodingChunked != true
            ? await request.Content.ReadAsStringAsync(cancellationToken)
            : null;
        var response = await base.SendAsync(request, cancellationToken);
        string? responseBody = null;
        if (response.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
            responseBody = await content.ReadAsStringAsync(cancellationToken);
        }

        await recorder.RecordAsync(new RecordedExchange(
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            request.Content?.Headers.ContentType?.MediaType,
            requestBody,
            (int)response.StatusCode,
            response.Content?.Headers.ContentType?.MediaType,
            responseBody));
        return response;
    }
}
