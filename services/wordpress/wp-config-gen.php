<?php
// Print wp-config.php from the environment; the database password comes on
// stdin. Every value goes through var_export(), so quotes cannot break out.
$password = rtrim((string)stream_get_contents(STDIN), "\r\n");
$e = fn(string $name) => var_export((string)getenv($name), true);
$url = var_export((string)getenv('WP_URL'), true);
$pw = var_export($password, true);
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
require __DIR__ . '/wp-salts.php';
\$table_prefix = 'wp_';
if (!defined('ABSPATH')) {
	define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';

PHP;
