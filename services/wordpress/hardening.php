<?php
/**
 * Plugin Name: Inception hardening
 * Description: XML-RPC off and no longer advertised. A must-use plugin, put
 * into wp-content/mu-plugins/ by wordpress-setup.sh at every start.
 */

defined('ABSPATH') || exit;

// nginx already answers 403 for /xmlrpc.php; this holds wherever the file is
// reached some other way (another front end, a copy of the site).
add_filter('xmlrpc_enabled', '__return_false');

// Clients would otherwise keep being told where XML-RPC is: the X-Pingback
// header of single posts and the RSD link of every page.
add_filter('wp_headers', function ($headers) {
	unset($headers['X-Pingback']);
	return $headers;
});
remove_action('wp_head', 'rsd_link');
