// Send a prompt to Llama 2 13B Chat through the model's native InvokeModel API, printing the
// answer as it streams. Exported from Bedrock Playground.
// Needs the AWS SDK for Java 2.x (software.amazon.awssdk:bedrockruntime), org.json
// (org.json:json) and Java 17.

import org.json.JSONObject;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

import java.util.concurrent.ExecutionException;

public class InvokeModelWithResponseStream {

    public static void main(String[] args) {

        // Create a Bedrock Runtime client in the AWS Region you want to use. The default
        // credentials provider looks in the environment, ~/.aws, SSO and the instance role; to
        // use a named profile, replace it with ProfileCredentialsProvider.create("my-profile").
        var client = BedrockRuntimeAsyncClient.builder()
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(Region.of("us-east-1"))
                .build();

        // Set the model ID, e.g., Llama 2 13B Chat.
        var modelId = "meta.llama2-13b-chat-v1";

        // Format the request payload using the model's native structure.
        var nativeRequest = """
                {
                  "prompt": "<s>[INST] Describe the purpose of a 'hello world' program in one line. [/INST]",
                  "max_gen_len": 512,
                  "temperature": 0.5
                }
                """;

        // Print the answer as it arrives; Bedrock adds the token usage and latency to the
        // last chunk.
        var handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                        .onChunk(part -> {
                            var chunk = new JSONObject(part.bytes().asUtf8String());
                            if (!chunk.isNull("generation")) {
                                System.out.print(chunk.getString("generation"));
                            }
                            var metrics = chunk.optJSONObject("amazon-bedrock-invocationMetrics");
                            if (metrics != null) {
                                System.out.printf("%n%nInput tokens: %d, output tokens: %d%n", metrics.getInt("inputTokenCount"), metrics.getInt("outputTokenCount"));
                                System.out.printf("Latency: %d ms%n", metrics.getLong("invocationLatency"));
                            }
                        })
                        .build())
                .build();

        try {
            // Encode and send the request, and wait until the answer has streamed.
            client.invokeModelWithResponseStream(request -> request
                    .modelId(modelId)
                    .contentType("application/json")
                    .body(SdkBytes.fromUtf8String(nativeRequest)), handler).get();
        } catch (ExecutionException | InterruptedException e) {
            System.err.printf("ERROR: Can't invoke '%s'. Reason: %s%n", modelId, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            System.exit(1);
        }
    }
}
