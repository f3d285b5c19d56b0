<?php
// Install WordPress and its two users with WordPress's own functions (no wp-cli
// in Debian). Idempotent: guarded by is_blog_installed() and username_exists(),
// so a run interrupted half-way is completed by the next one.
// Names and e-mails come from the environment, the two passwords from stdin
// (admin first, then user), never from argv or the environment.
define('WP_INSTALLING', true);

function env(string $name): string {
    $v = getenv($name);
    if ($v === false || $v === '') {
        fwrite(STDERR, "wp-install: $name is not set\n");
        exit(1);
    }
    return $v;
}

$lines = explode("\n", (string)stream_get_contents(STDIN));
$admin_pw = rtrim($lines[0] ?? '', "\r");
$user_pw = rtrim($lines[1] ?? '', "\r");
if ($admin_pw === '' || $user_pw === '') {
    fwrite(STDERR, "wp-install: both passwords are required on stdin\n");
    exit(1);
}

$_SERVER['HTTP_HOST'] = parse_url(env('WP_URL'), PHP_URL_HOST);
$_SERVER['REQUEST_URI'] = '/';
require '/var/www/html/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (!is_blog_installed()) {
    // wp_install() would mail the administrator: there is no mailer here.
    add_filter('pre_wp_mail', '__return_true');
    $r = wp_install(env('WP_TITLE'), env('WP_ADMIN_USER'), env('WP_ADMIN_EMAIL'), true, '', wp_slash($admin_pw));
    if (is_wp_error($r) || empty($r['user_id'])) {
        fwrite(STDERR, "wp-install: wp_install failed\n");
        exit(1);
    }
    // Only registered users comment, and their comments appear at once.
    update_option('comment_registration', 1);
    update_option('comment_previously_approved', 0);
    update_option('comment_moderation', 0);
    echo "wp-install: site installed, administrator '" . env('WP_ADMIN_USER') . "'\n";
}
if (!is_blog_installed()) {
    fwrite(STDERR, "wp-install: the site is still not installed\n");
    exit(1);
}

$login = env('WP_USER');
if (!username_exists($login)) {
    $id = wp_insert_user([
        'user_login' => $login,
        'user_pass'  => $user_pw,
        'user_email' => env('WP_USER_EMAIL'),
        'role'       => getenv('WP_USER_ROLE') ?: 'author',
    ]);
    if (is_wp_error($id)) {
        fwrite(STDERR, "wp-install: creating '$login' failed: " . $id->get_error_message() . "\n");
        exit(1);
    }
    echo "wp-install: user '$login' created\n";
}
$admin = get_user_by('login', env('WP_ADMIN_USER'));
if (!$admin || !in_array('administrator', (array)$admin->roles, true)) {
    fwrite(STDERR, "wp-install: administrator '" . env('WP_ADMIN_USER') . "' missing\n");
    exit(1);
}
