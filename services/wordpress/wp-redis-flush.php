<?php
// Empty WordPress's redis database before WordPress starts (bonus mode).
// The cache may hold values from before a period without it (the mandatory
// stack, or redis unreachable) during which WordPress wrote to the database
// alone: such values would be stale. Redis being down is not an error here
// (the site runs uncached and redis starts empty); a refused password is.
// usage: php wp-redis-flush.php HOST PORT PASSWORD_FILE
[, $host, $port, $file] = $argv + [null, 'redis', '6379', ''];
try {
    $redis = new Redis();
    if (!@$redis->connect($host, (int)$port, 1.0, null, 0, 1.0)) {
        throw new RedisException('connect failed');
    }
} catch (Throwable $e) {
    fwrite(STDERR, "wordpress-setup: redis $host:$port not reachable now, its cache starts empty anyway\n");
    exit(0);
}
$password = rtrim((string)@file_get_contents($file), "\r\n");
try {
    if (!$redis->auth($password)) {
        throw new RedisException('AUTH refused');
    }
    $redis->flushDb();
} catch (Throwable $e) {
    fwrite(STDERR, "wordpress-setup: redis $host:$port: " . $e->getMessage() . "\n");
    exit(1);
}
echo "wordpress-setup: redis object cache emptied\n";
