// Send a prompt to Claude 3 Haiku through the Converse API, printing the answer as it streams.
// Exported from Bedrock Playground.
// Needs the AWS SDK for .NET (the AWSSDK.BedrockRuntime package) and .NET 6 or later.

using System;
using System.Collections.Generic;
using System.Linq;
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

        // Set the model ID, e.g., Claude 3 Haiku.
        var modelId = "anthropic.claude-3-haiku-20240307-v1:0";

        // Create a request with the model ID, the conversation and the inference parameters.
        var request = new ConverseStreamRequest
        {
            ModelId = modelId,
            System = new List<SystemContentBlock>
            {
                new SystemContentBlock { Text = "Please respond to all requests in the style of a pirate." },
            },
            Messages = new List<Message>
            {
                new Message
                {
                    Role = ConversationRole.User,
                    Content = new List<ContentBlock>
                    {
                        new ContentBlock { Text = "Write an email from Bob, Customer Service Manager, to the customer \"John Doe\" who provided negative feedback on the service provided by our customer support engineer" },
                    },
                },
            },
            InferenceConfig = new InferenceConfiguration
            {
                MaxTokens = 2000,
                Temperature = 0F,
            },
        };

        try
        {
            // Send the request to the model and wait for the response.
            var response = await client.ConverseStreamAsync(request);

            // Print the answer as it arrives, then the token usage and latency.
            foreach (var chunk in response.Stream.AsEnumerable())
            {
                if (chunk is ContentBlockDeltaEvent delta)
                {
                    Console.Write(delta.Delta.Text);
                }
                else if (chunk is ConverseStreamMetadataEvent metadata)
                {
                    Console.WriteLine($"\n\nInput tokens: {metadata.Usage.InputTokens}, output tokens: {metadata.Usage.OutputTokens}");
                    Console.WriteLine($"Latency: {metadata.Metrics.LatencyMs} ms");
                }
            }
        }
        catch (AmazonBedrockRuntimeException e)
        {
            Console.WriteLine($"ERROR: Can't invoke '{modelId}'. Reason: {e.Message}");
            Environment.Exit(1);
        }
    }
}
