using System.Net;
using System.Text;
using PostureSense.TestSupport.Server;

namespace PostureSense.Integration.Tests.Fuzzing;

/// <summary>
/// The sign-in forms answer a body that is not a form with 400, not 500. Found by the fuzzer:
/// JSON posted to /signup made reading the form throw.
/// </summary>
public sealed class FormBodyTests
{
    [Theory]
    [InlineData("/signup", "application/json", """{"email":"a@example.org","password":"long enough pass"}""")]
    [InlineData("/login", "application/json", """{"email":"a@example.org"}""")]
    [InlineData("/login", "text/plain", "email=a@example.org")]
    [InlineData("/signup", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nbroken off")]
    public async Task A_body_that_is_not_a_form_is_a_bad_request(string path, string contentType, string body)
    {
        var folder = Directory.CreateTempSubdirectory("posturesense-form-");
        try
        {
            await using var harness = await ServerHarness.StartAsync(Path.Combine(folder.FullName, "posture.db"));
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await harness.Anonymous.PostAsync(path, content, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        finally
        {
            try { folder.Delete(recursive: true); }
            catch (IOException) { }
        }
    }

    [Fact]
    public async Task Claiming_a_device_with_a_JSON_body_is_a_bad_request()
    {
        var folder = Directory.CreateTempSubdirectory("posturesense-form-");
        try
        {
            await using var harness = await ServerHarness.StartAsync(Path.Combine(folder.FullName, "posture.db"));
            var content = new StringContent("""{"deviceId":"desk-2"}""", Encoding.UTF8, "application/json");
            using var response = await harness.Http.PostAsync("/devices", content, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        finally
        {
            try { folder.Delete(recursive: true); }
            catch (IOException) { }
        }
    }
}
