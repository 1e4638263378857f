// Creates or updates many SCRAM-SHA-512 users in one JVM through the Admin API
// (AlterUserScramCredentials), which kafkajs does not implement.
// Usage: java -cp '<kafka libs>/*:<helper>' ScramUsers <client.properties> < users
// stdin: one user per line, "<base64 username> <base64 password>".
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
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
    try (Admin admin = Admin.create(props)) {
      admin.alterUserScramCredentials(alterations).all().get();
    }
    System.out.println("created " + alterations.size());
  }
}
