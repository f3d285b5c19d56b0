<?php
// Wait (bounded) until the database accepts the WordPress user's login.
// usage: php wp-dbwait.php SECONDS ; reads host, user, database on argv via
// environment (WORDPRESS_DB_HOST, MYSQL_USER, MYSQL_DATABASE) and the password
// on stdin, so it never appears in a process listing.
$deadline = microtime(true) + (float)($argv[1] ?? 60);
$password = rtrim((string)stream_get_contents(STDIN), "\r\n");
[$host, $port] = array_pad(explode(':', getenv('WORDPRESS_DB_HOST') ?: 'mariadb:3306', 2), 2, '3306');
mysqli_report(MYSQLI_REPORT_OFF);
for (;;) {
    $db = mysqli_init();
    $db->options(MYSQLI_OPT_CONNECT_TIMEOUT, 2);
    if (@$db->real_connect($host, getenv('MYSQL_USER'), $password, getenv('MYSQL_DATABASE'), (int)$port)) {
        exit(0);
    }
    $error = mysqli_connect_error();
    if (microtime(true) >= $deadline) {
        fwrite(STDERR, "wordpress-setup: database $host:$port not ready: $error\n");
        exit(1);
    }
    usleep(500000);
}
