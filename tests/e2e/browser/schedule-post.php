<?php
// A post scheduled SECONDS ahead, for the scheduled-post check of
// tests/e2e/t_browser.sh. Run as www-data inside the wordpress container:
//   php -- TITLE SECONDS < schedule-post.php
// Prints "POST-ID GMT-UNIX-TIME" of the post's publication time.
$_SERVER['REQUEST_URI'] = '/';
// Nothing may publish it but a visit's WP-Cron: this script spawns none.
define('DOING_CRON', true);
require '/var/www/html/wp-load.php';

[$title, $seconds] = [$argv[1] ?? '', (int)($argv[2] ?? 0)];
if ($title === '' || $seconds <= 0) {
    fwrite(STDERR, "usage: php -- TITLE SECONDS < schedule-post.php\n");
    exit(2);
}
$admin = get_users(['role' => 'administrator', 'number' => 1]);
$when = time() + $seconds;
$gmt = gmdate('Y-m-d H:i:s', $when);
$id = wp_insert_post([
    'post_title'    => $title,
    'post_content'  => 'Scheduled by the e2e tests.',
    'post_status'   => 'future',
    'post_author'   => $admin ? $admin[0]->ID : 1,
    'post_date_gmt' => $gmt,
    'post_date'     => get_date_from_gmt($gmt),
], true);
if (is_wp_error($id)) {
    fwrite(STDERR, 'schedule-post: ' . $id->get_error_message() . "\n");
    exit(1);
}
$next = wp_next_scheduled('publish_future_post', [$id]);
if (get_post_status($id) !== 'future' || $next !== $when) {
    fwrite(STDERR, "schedule-post: post $id is " . get_post_status($id) . ", its event at " . var_export($next, true) . "\n");
    exit(1);
}
echo "$id $when\n";
