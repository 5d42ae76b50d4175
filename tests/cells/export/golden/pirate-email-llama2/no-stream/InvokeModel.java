// Send a prompt to Llama 2 13B Chat through the model's native InvokeModel API. Exported from
// Bedrock Playground.
// Needs the AWS SDK for Java 2.x (software.amazon.awssdk:bedrockruntime), org.json
// (org.json:json) and Java 17.

import org.json.JSONObject;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

public class InvokeModel {

    public static void main(String[] args) {

        // Create a Bedrock Runtime client in the AWS Region you want to use. The default
        // credentials provider looks in the environment, ~/.aws, SSO and the instance role; to
        // use a named profile, replace it with ProfileCredentialsProvider.create("my-profile").
        var client = BedrockRuntimeClient.builder()
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(Region.of("us-east-1"))
                .build();

        // Set the model ID, e.g., Llama 2 13B Chat.
        var modelId = "meta.llama2-13b-chat-v1";

        // Format the request payload using the model's native structure.
        var nativeRequest = """
                {
                  "prompt": "<s>[INST] <<SYS>>\\nPlease respond to all requests in the style of a pirate.\\n<</SYS>>\\n\\nWrite an email from Bob, Customer Service Manager, to the customer \\"John Doe\\" who provided negative feedback on the service provided by our customer support engineer [/INST]",
                  "max_gen_len": 2000,
                  "temperature": 0
                }
                """;

        try {
            // Encode and send the request.
            var response = client.invokeModel(request -> request
                    .modelId(modelId)
                    .contentType("application/json")
                    .body(SdkBytes.fromUtf8String(nativeRequest)));

            // Decode the response body and print the answer, then the token usage.
            var modelResponse = new JSONObject(response.body().asUtf8String());
            var text = modelResponse.getString("generation");
            var inputTokens = modelResponse.getInt("prompt_token_count");
            var outputTokens = modelResponse.getInt("generation_token_count");
            System.out.println(text);
            System.out.printf("%nInput tokens: %d, output tokens: %d%n", inputTokens, outputTokens);
        } catch (SdkException e) {
            System.err.printf("ERROR: Can't invoke '%s'. Reason: %s%n", modelId, e.getMessage());
            System.exit(1);
        }
    }
}
