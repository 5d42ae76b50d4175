// Send a prompt to Claude 3 Haiku through the Converse API, printing the answer as it streams.
// Exported from Bedrock Playground.
// Needs the AWS SDK for Java 2.x (software.amazon.awssdk:bedrockruntime) and Java 17.

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

import java.util.List;
import java.util.concurrent.ExecutionException;

public class ConverseStream {

    public static void main(String[] args) {

        // Create a Bedrock Runtime client in the AWS Region you want to use. The default
        // credentials provider looks in the environment, ~/.aws, SSO and the instance role; to
        // use a named profile, replace it with ProfileCredentialsProvider.create("my-profile").
        var client = BedrockRuntimeAsyncClient.builder()
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(Region.of("us-east-1"))
                .build();

        // Set the model ID, e.g., Claude 3 Haiku.
        var modelId = "anthropic.claude-3-haiku-20240307-v1:0";

        // The conversation, ending with the user message.
        var conversation = List.of(
                Message.builder()
                        .role(ConversationRole.USER)
                        .content(ContentBlock.fromText("Write an email from Bob, Customer Service Manager, to the customer \"John Doe\" who provided negative feedback on the service provided by our customer support engineer"))
                        .build());

        // Print the answer as it arrives, then the token usage and latency.
        var handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockDelta(event -> {
                            var text = event.delta().text();
                            if (text != null) {
                                System.out.print(text);
                            }
                        })
                        .onMetadata(event -> {
                            System.out.printf("%n%nInput tokens: %d, output tokens: %d%n", event.usage().inputTokens(), event.usage().outputTokens());
                            System.out.printf("Latency: %d ms%n", event.metrics().latencyMs());
                        })
                        .build())
                .build();

        try {
            // Send the conversation to the model and wait until the answer has streamed.
            client.converseStream(request -> request
                    .modelId(modelId)
                    .messages(conversation)
                    .system(SystemContentBlock.fromText("Please respond to all requests in the style of a pirate."))
                    .inferenceConfig(config -> config
                            .maxTokens(2000)
                            .temperature(0F)), handler).get();
        } catch (ExecutionException | InterruptedException e) {
            System.err.printf("ERROR: Can't invoke '%s'. Reason: %s%n", modelId, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            System.exit(1);
        }
    }
}
