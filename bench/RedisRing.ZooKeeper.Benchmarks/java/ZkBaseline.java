// The Java client's numbers for the same load as LoadTest.cs: requests kept in flight with the
// asynchronous API on one ZooKeeper handle. Run with the single-file source launcher:
//   java -cp /usr/share/java/zookeeper.jar ZkBaseline.java <server> <get|set> <in-flight> <seconds>
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

public class ZkBaseline {
    public static void main(String[] args) throws Exception {
        String server = args[0];
        String operation = args[1];
        int inFlight = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(server, 10000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        connected.await(30, TimeUnit.SECONDS);
        String path = "/bench-java-" + System.nanoTime();
        byte[] data = new byte[100];
        zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        measure(zk, path, data, operation, inFlight, 2.0);
        List<Long> latencies = measure(zk, path, data, operation, inFlight, seconds);
        zk.delete(path, -1);
        zk.close();
        Collections.sort(latencies);
        System.out.printf("%-6s %s inflight=%-3d ops/s=%9.0f p50=%7.0fus p99=%7.0fus p99.9=%7.0fus%n",
            "java", operation, inFlight, latencies.size() / seconds,
            percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 0.999));
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, p * sorted.size())) / 1000.0;
    }

    private static List<Long> measure(ZooKeeper zk, String path, byte[] data, String operation, int inFlight, double seconds)
            throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>(1_000_000));
        long stop = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < stop) {
            slots.acquire();
            long start = System.nanoTime();
            if (operation.equals("get")) {
                zk.getData(path, false, (rc, p, ctx, d, stat) -> {
                    latencies.add(System.nanoTime() - start);
                    slots.release();
                }, null);
            } else {
                zk.setData(path, data, -1, (rc, p, ctx, stat) -> {
                    latencies.add(System.nanoTime() - start);
                    slots.release();
                }, null);
            }
        }
        slots.acquire(inFlight);
        return new ArrayList<>(latencies);
    }
}
