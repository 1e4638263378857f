// Formats KRaft storage and starts the broker in ONE JVM (saves a JVM start per fresh broker).
// Usage: java -cp '<kafka libs>/*:<harness jar>' FormatAndStart <server.properties> [StorageTool args...]
// With StorageTool arguments (e.g. "format --standalone -t <id> -c <file> --add-scram ...") the
// storage is formatted first; without them (a restart) the broker starts on the existing storage.
import java.util.Arrays;

public class FormatAndStart {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: FormatAndStart <server.properties> [StorageTool args...]");
      System.exit(2);
    }
    if (args.length > 1) {
      int status = kafka.tools.StorageTool.execute(Arrays.copyOfRange(args, 1, args.length), System.out);
      if (status != 0) {
        System.err.println("Formatting the KRaft storage failed with status " + status);
        System.exit(status);
      }
    }
    kafka.Kafka.main(new String[] {args[0]});
  }
}
