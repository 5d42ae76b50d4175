// Send a prompt to Llama 2 13B Chat through the model's native InvokeModel API. Exported from
// Bedrock Playground.
// Needs the AWS SDK for .NET (the AWSSDK.BedrockRuntime package) and .NET 6 or later.

using System;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Amazon;
using Amazon.BedrockRuntime;
using Amazon.BedrockRuntime.Model;

internal static class Program
{
    private static async Task Main()
    {
        // Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials
        // through the default chain (environment, ~/.aws, SSO, instance role); to use a named
        // profile, read it with CredentialProfileStoreChain.TryGetAWSCredentials and pass it in.
        var client = new AmazonBedrockRuntimeClient(RegionEndpoint.GetBySystemName("us-east-1"));

        // Set the model ID, e.g., Llama 2 13B Chat.
        var modelId = "meta.llama2-13b-chat-v1";

        // Format the request payload using the model's native structure.
        var nativeRequest = @"{
  ""prompt"": ""<s>[INST] Describe the purpose of a 'hello world' program in one line. [/INST]"",
  ""max_gen_len"": 512,
  ""temperature"": 0.5
}";

        // Create a request with the model ID and the encoded payload.
        var request = new InvokeModelRequest
        {
            ModelId = modelId,
            ContentType = "application/json",
            Body = new MemoryStream(Encoding.UTF8.GetBytes(nativeRequest)),
        };

        try
        {
            // Send the request to the model and wait for the response.
            var response = await client.InvokeModelAsync(request);

            // Decode the response body and print the answer, then the token usage.
            var modelResponse = await JsonNode.ParseAsync(response.Body);
            var text = (string)modelResponse["generation"];
            var inputTokens = modelResponse["prompt_token_count"];
            var outputTokens = modelResponse["generation_token_count"];
            Console.WriteLine(text);
            Console.WriteLine($"\nInput tokens: {inputTokens}, output tokens: {outputTokens}");
        }
        catch (AmazonBedrockRuntimeException e)
        {
            Console.WriteLine($"ERROR: Can't invoke '{modelId}'. Reason: {e.Message}");
            Environment.Exit(1);
        }
    }
}
