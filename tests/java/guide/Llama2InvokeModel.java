// Mirrors the Java Llama 2 InvokeModel example of the source document (AWS's
// aws-doc-sdk-examples, javav2/example_code/bedrock-runtime, Llama2_InvokeModel): the same call,
// model id, prompt template and response parsing, written for this project's tests. It runs
// against the emulator, which the tests point the SDK at through the environment.

import org.json.JSONObject;
import org.json.JSONPointer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

public class Llama2InvokeModel {

    public static String invokeModel() {
        // A client for us-east-1 with the default credentials provider.
        var client = BedrockRuntimeClient.builder()
                .credentialsProvider(DefaultCredentialsProvider.create())
                .region(Region.US_EAST_1)
                .build();

        var modelId = "meta.llama2-13b-chat-v1";

        // Llama's native body holds only the prompt; the instruction fills a JSON template.
        var bodyTemplate = "{ \"prompt\": \"{{instruction}}\" }";
        var question = "Describe the purpose of a 'hello world' program in one line.";
        // Llama 2's instruction format; the escaped \n ends the JSON string with a line break.
        var instruction = "<s>[INST] {{prompt}} [/INST]\\n".replace("{{prompt}}", question);
        var body = bodyTemplate.replace("{{instruction}}", instruction);

        try {
            var response = client.invokeModel(request -> request
                    .body(SdkBytes.fromUtf8String(body))
                    .modelId(modelId));

            // The answer is the "generation" field of the native response.
            var answer = new JSONObject(response.body().asUtf8String());
            var text = new JSONPointer("/generation").queryFrom(answer).toString();
            System.out.println(text);
            return text;
        } catch (SdkClientException e) {
            System.err.printf("ERROR: Can't invoke '%s'. Reason: %s", modelId, e.getMessage());
            throw new RuntimeException(e);
        }
    }

    public static void main(String[] args) {
        invokeModel();
    }
}
