using Orchestrator.Evaluation.Clients;
using Orchestrator.Evaluation.Heim;
using Orchestrator.Evaluation.Tests.Clients;

namespace Orchestrator.Evaluation.Tests.Heim;

public sealed class OpenAiImageClientTests : IDisposable
{
    private readonly FakeOpenAiServer _server = FakeOpenAiServer.Start();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Generates_base64_images_retrying_a_server_error()
    {
        var png = TestImages.Png(16, 16, (r, c) => r == c ? TestImages.Black : TestImages.White);
        _server.Enqueue(500, "{\"error\":\"busy\"}");
        _server.Enqueue(200, $$"""{"created":1,"data":[{"b64_json":"{{Convert.ToBase64String(png)}}","revised_prompt":"a lighthouse, oil"}]}""");
        using var client = new OpenAiImageClient(_http, new OpenAiConnection(_server.BaseUrl, "sk-img") { RetryBaseDelay = TimeSpan.FromMilliseconds(5) }, "img-1");

        var result = await client.GenerateAsync(new ImageGenerationRequest("img-1", "a lighthouse", NumImages: 1, Width: 256, Height: 256), default);

        var image = Assert.Single(result.Images);
        Assert.Equal(png, image.Encoded);
        Assert.Equal("a lighthouse, oil", image.RevisedPrompt);
        Assert.Equal(2, _server.Requests.Count);
        var sent = _server.Requests.Last();
        Assert.Equal("/v1/images/generations", sent.Path);
        Assert.Equal("Bearer sk-img", sent.Authorization);
        Assert.Equal("256x256", sent.Body.GetProperty("size").GetString());
        Assert.Equal("b64_json", sent.Body.GetProperty("response_format").GetString());
        Assert.Equal(1, sent.Body.GetProperty("n").GetInt32());
        // The image is usable by the metrics: a diagonal has fractal dimension 1.
        Assert.Equal(0.4, HeimImageMetrics.Evaluate(result).Single(s => s.Name.Name == "fractal_dimension_loss").Mean!.Value, 1e-12);
    }

    [Fact]
    public async Task Url_answers_and_bad_requests_are_refused_clearly()
    {
        _server.Enqueue(200, """{"data":[{"url":"http://elsewhere.example/1.png"}]}""");
        using var client = new OpenAiImageClient(_http, new OpenAiConnection(_server.BaseUrl, null), "img-1");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => client.GenerateAsync(new ImageGenerationRequest("img-1", "x"), default));
        Assert.Contains("b64_json", error.Message);
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => client.GenerateAsync(new ImageGenerationRequest("img-1", "x", NumImages: 0), default));
        Assert.Contains("numImages", bad.Message);
    }
}
