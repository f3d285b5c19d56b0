<?php
/*
 * Plugin Name: Inception stack
 * Description: How this WordPress lives in the Inception stack: it reaches itself through nginx with a verified certificate, and its updates come from rebuilt images, not from WordPress's own updater.
 *
 * A must-use plugin: wordpress-setup.sh copies it into wp-content/mu-plugins/
 * at every start, so an administrator cannot switch it off and a new image
 * brings its new version.
 */

defined('ABSPATH') || exit;

// The bundle wordpress-setup.sh writes at start: the system's CAs plus the
// stack's self-signed certificate (a public file; nginx alone has the key).
const INCEPTION_CA_BUNDLE = '/run/wordpress/ca-certificates.crt';
// nginx listens on 443 inside the network whatever port the host publishes.
const INCEPTION_NGINX_PORT = 443;

// Updates come from `make refresh` (new images, then recreated containers):
// a file WordPress replaced inside the volume would be replaced again by the
// next image, and the machine may be offline anyway.
add_filter('automatic_updater_disabled', '__return_true');

// Loopback requests (WP-Cron's spawn, Site Health's loopback and REST checks)
// are checked like any other HTTPS request, against a bundle that knows the
// stack's certificate.
add_filter('https_local_ssl_verify', '__return_true');
add_filter('http_request_args', function (array $args): array {
    if (is_readable(INCEPTION_CA_BUNDLE)) {
        $args['sslcertificates'] = INCEPTION_CA_BUNDLE;
    }
    return $args;
});

// The site's URL carries the port published on the host (HTTPS_PORT), which
// means nothing inside the network: the domain is an alias of nginx there, and
// nginx answers on 443 only. curl keeps the URL, the Host header and the name
// checked in the certificate, and only connects to the other port.
add_action('http_api_curl', function ($handle, array $args, string $url): void {
    $host = parse_url(home_url(), PHP_URL_HOST);
    $port = parse_url(home_url(), PHP_URL_PORT);
    if (!$host || !$port || $port === INCEPTION_NGINX_PORT) {
        return;
    }
    curl_setopt($handle, CURLOPT_CONNECT_TO, ["$host:$port:$host:" . INCEPTION_NGINX_PORT]);
}, 10, 3);

// Site Health's background-updates test reports the disabled updater as a
// critical failure; here it is the design, so say how updates do arrive.
add_filter('site_status_tests', function (array $tests): array {
    unset($tests['async']['background_updates']);
    $tests['direct']['inception_updates'] = [
        'label' => __('Updates'),
        'test'  => 'inception_updates_test',
    ];
    return $tests;
});

function inception_updates_test(): array {
    return [
        'label'       => __('Updates come from rebuilt images'),
        'status'      => 'good',
        'badge'       => ['label' => __('Security'), 'color' => 'blue'],
        'description' => '<p>' . sprintf(
            /* translators: %s: a make command */
            __('WordPress does not update itself here: its files come from Debian\'s wordpress package in the stack\'s wordpress image. %s rebuilds every image with the day\'s Debian updates and recreates the containers; the content and the database are kept.'),
            '<code>make refresh</code>'
        ) . '</p>',
        'actions'     => '',
        'test'        => 'inception_updates',
    ];
}
