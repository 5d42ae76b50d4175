// Mirrors the Java Llama 2 InvokeModelWithResponseStream example of the source document (AWS's
// aws-doc-sdk-examples, javav2/example_code/bedrock-runtime, Llama2_InvokeModelWithResponseStream):
// the same call, model id, prompt template and chunk parsing, written for this project's tests.
// It runs against the emulator, which the tests point the SDK at through the environment.

import static software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler.Visitor;

import java.util.concurrent.ExecutionException;
import org.json.JSONObject;
import org.json.JSONPointer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

public class Llama2InvokeModelWithResponseStream {

    public static String invokeModelWithResponseStream()
            throws ExecutionException, InterruptedException {
        // An asynchronous client for us-east-1 with the default credentials provider.
        var client = BedrockRuntimeAsyncClient.builder()
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

        var request = InvokeModelWithResponseStreamRequest.builder()
                .body(SdkBytes.fromUtf8String(body))
                .modelId(modelId)
                .build();

        // Each chunk's "generation" is printed as it arrives and kept for the whole answer.
        var answer = new StringBuilder();
        var handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .subscriber(Visitor.builder().onChunk(chunk -> {
                    var json = new JSONObject(chunk.bytes().asUtf8String());
                    var text = new JSONPointer("/generation").queryFrom(json);
                    System.out.print(text);
                    answer.append(text);
                }).build())
                .build();

        try {
            client.invokeModelWithResponseStream(request, handler).get();
            return answer.toString();
        } catch (ExecutionException | InterruptedException e) {
            System.err.printf("Can't invoke '%s': %s", modelId, e.getCause().getMessage());
            throw new RuntimeException(e);
        }
    }

    public static void main(String[] args) throws ExecutionException, InterruptedException {
        invokeModelWithResponseStream();
    }
}
