<?php
// Print wp-config.php from the environment; the database password comes on
// stdin. Every value goes through var_export(), so quotes cannot break out.
$password = rtrim((string)stream_get_contents(STDIN), "\r\n");
$e = fn(string $name) => var_export((string)getenv($name), true);
$url = var_export((string)getenv('WP_URL'), true);
$pw = var_export($password, true);
// Bonus mode (WP_REDIS_HOST set): the settings of the Redis object-cache
// drop-in. The password stays in its own file (wordpress-setup.sh copies the
// secret there), not in wp-config.php. Without it the output is unchanged.
$redis = '';
if ((string)getenv('WP_REDIS_HOST') !== '') {
    $redis = "define('WP_REDIS_HOST', {$e('WP_REDIS_HOST')});\n"
        . 'define(\'WP_REDIS_PORT\', ' . (int)(getenv('WP_REDIS_PORT') ?: 6379) . ");\n"
        . "define('WP_REDIS_PASSWORD_FILE', '/run/wordpress/redis_password');\n";
}
echo <<<PHP
<?php
// Written by wordpress-setup.sh at every start from the container's environment
// and the db_password secret: edit .env / secrets/, not this file.
define('DB_NAME', {$e('MYSQL_DATABASE')});
define('DB_USER', {$e('MYSQL_USER')});
define('DB_PASSWORD', $pw);
define('DB_HOST', {$e('WORDPRESS_DB_HOST')});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', $url);
define('WP_SITEURL', $url);
// Debian's fastcgi_params passes HTTP_HOST without the port (\$host): WordPress
// always sees its public host and port, so its canonical redirects cannot loop.
\$_SERVER['HTTP_HOST'] = parse_url(WP_HOME, PHP_URL_HOST)
	. (parse_url(WP_HOME, PHP_URL_PORT) ? ':' . parse_url(WP_HOME, PHP_URL_PORT) : '');
define('FORCE_SSL_ADMIN', true);
define('DISALLOW_FILE_EDIT', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
{$redis}require __DIR__ . '/wp-salts.php';
\$table_prefix = 'wp_';
if (!defined('ABSPATH')) {
	define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';

PHP;
