// Creates or updates many SCRAM-SHA-512 users in one JVM through the Admin API
// (AlterUserScramCredentials), which kafkajs does not implement.
// Usage: java -cp '<kafka libs>/*:<helper>' ScramUsers <client.properties> < users
// stdin: one user per line, "<base64 username> <base64 password>".
// The Admin client salts each password itself (PBKDF2, 4096 rounds of HMAC-SHA-512) in the
// calling thread: chunks of users are submitted from parallel threads to use every core.
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterUserScramCredentialsResult;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

public class ScramUsers {
  // Kafka's minimum for SCRAM-SHA-512; clients pay for every iteration when they log in.
  private static final int ITERATIONS = 4096;

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) {
      props.load(in);
    }
    Base64.Decoder b64 = Base64.getDecoder();
    List<UserScramCredentialAlteration> alterations = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.isBlank()) continue;
      String[] parts = line.trim().split(" ");
      String user = new String(b64.decode(parts[0]), StandardCharsets.UTF_8);
      String password = new String(b64.decode(parts[1]), StandardCharsets.UTF_8);
      alterations.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password));
    }
    int chunks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), alterations.size() / 20));
    int size = (alterations.size() + chunks - 1) / chunks;
    try (Admin admin = Admin.create(props)) {
      List<AlterUserScramCredentialsResult> results = IntStream.range(0, chunks)
          .parallel()
          .mapToObj(i -> alterations.subList(Math.min(i * size, alterations.size()), Math.min((i + 1) * size, alterations.size())))
          .filter(chunk -> !chunk.isEmpty())
          .map(admin::alterUserScramCredentials)
          .collect(Collectors.toList());
      for (AlterUserScramCredentialsResult result : results) result.all().get();
    }
    System.out.println("created " + alterations.size());
  }
}
