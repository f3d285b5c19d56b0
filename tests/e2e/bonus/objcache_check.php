<?php
// The Redis object-cache drop-in against the WP_Object_Cache API, inside the
// wordpress container (piped to `php`, as www-data, from /var/www/html).
// usage: php -- write|read ; "write" sets values, "read" (another process,
// so another request) finds them in redis. Prints "FAIL ..." lines, then
// "checks: N failed: M".
$_SERVER['HTTP_HOST'] = 'localhost';
$_SERVER['REQUEST_URI'] = '/';
require '/var/www/html/wp-load.php';

$n = 0;
$bad = 0;
function t($what, $ok) {
	global $n, $bad;
	$n++;
	if (!$ok) {
		$bad++;
		echo "FAIL $what\n";
	}
}

$phase = $argv[1] ?? 'write';
$g = 'inception-e2e';
t('drop-in class loaded and connected', get_class($GLOBALS['wp_object_cache']) === 'WP_Object_Cache'
	&& method_exists($GLOBALS['wp_object_cache'], 'redis_connected') && $GLOBALS['wp_object_cache']->redis_connected());
t('wp_using_ext_object_cache()', wp_using_ext_object_cache() === true);
foreach (['add_multiple', 'set_multiple', 'get_multiple', 'delete_multiple', 'flush_runtime', 'flush_group'] as $f) {
	t("wp_cache_supports($f)", wp_cache_supports($f));
}

if ($phase === 'write') {
	wp_cache_delete_multiple(['s', 'o', 'f', 'n', 'cnt', 'gone', 'np', 'ttl', 'a', 'b', 'str'], $g);
	t('set string', wp_cache_set('s', 'hello', $g));
	$o = new stdClass();
	$o->v = 1;
	t('set object', wp_cache_set('o', $o, $g));
	$o->v = 2; // the cache keeps a copy, not the caller's object
	t('object copied on set', wp_cache_get('o', $g)->v === 1);
	t('set false', wp_cache_set('f', false, $g));
	t('set int', wp_cache_set('cnt', 10, $g));
	t('set numeric string', wp_cache_set('str', '5', $g));
	t('add existing refused', wp_cache_add('s', 'other', $g) === false);
	t('add new', wp_cache_add('n', [1, 2], $g) === true);
	t('replace missing refused', wp_cache_replace('missing-' . mt_rand(), 1, $g) === false);
	t('replace existing', wp_cache_replace('n', [3], $g) === true && wp_cache_get('n', $g) === [3]);
	t('incr', wp_cache_incr('cnt', 5, $g) === 15);
	t('decr', wp_cache_decr('cnt', 3, $g) === 12);
	t('decr floors at 0', wp_cache_decr('cnt', 100, $g) === 0);
	t('incr back', wp_cache_incr('cnt', 7, $g) === 7);
	t('incr missing is false', wp_cache_incr('missing-' . mt_rand(), 1, $g) === false);
	t('incr numeric string', wp_cache_incr('str', 1, $g) === 6);
	t('set_multiple', wp_cache_set_multiple(['a' => 'A', 'b' => 'B'], $g) === ['a' => true, 'b' => true]);
	t('add_multiple', wp_cache_add_multiple(['a' => 'x', 'gone' => 'G'], $g) === ['a' => false, 'gone' => true]);
	t('set with ttl', wp_cache_set('ttl', 'short', $g, 1));
	wp_cache_add_non_persistent_groups(['inception-np']);
	t('non-persistent set', wp_cache_set('np', 'here', 'inception-np') && wp_cache_get('np', 'inception-np') === 'here');
	t('int key', wp_cache_set(42, 'int key', $g) && wp_cache_get(42, $g) === 'int key');
	t('empty key refused', @wp_cache_set('', 'x', $g) === false);
	// A global group ignores the blog; another group is per blog.
	wp_cache_add_global_groups(['inception-global']);
	wp_cache_set('k', 'global', 'inception-global');
	wp_cache_set('k', 'blog1', $g);
	wp_cache_switch_to_blog(2);
	t('global group across blogs', wp_cache_get('k', 'inception-global') === 'global');
	wp_cache_switch_to_blog(get_current_blog_id());
	t('own blog value', wp_cache_get('k', $g) === 'blog1');
	// flush_group: this group only.
	wp_cache_set('x', 1, 'inception-other');
	wp_cache_set('y', 1, 'inception-flushme');
	t('flush_group', wp_cache_flush_group('inception-flushme') && wp_cache_get('y', 'inception-flushme') === false
		&& wp_cache_get('x', 'inception-other') === 1);
	t('delete', wp_cache_delete('gone', $g) === true && wp_cache_get('gone', $g, false, $found) === false && $found === false);
} else {
	// Another process: nothing comes from a runtime copy.
	t('string from redis', wp_cache_get('s', $g, false, $found) === 'hello' && $found === true);
	$o = wp_cache_get('o', $g);
	t('object from redis', $o instanceof stdClass && $o->v === 1);
	t('false from redis is found', wp_cache_get('f', $g, false, $found) === false && $found === true);
	t('missing is not found', wp_cache_get('missing-' . mt_rand(), $g, false, $found) === false && $found === false);
	t('int from redis', wp_cache_get('cnt', $g) === 7);
	t('incr across requests', wp_cache_incr('cnt', 1, $g) === 8);
	t('get_multiple', wp_cache_get_multiple(['a', 'b', 'gone', 'n'], $g) === ['a' => 'A', 'b' => 'B', 'gone' => false, 'n' => [3]]);
	t('force reads redis', wp_cache_get('s', $g, true) === 'hello');
	t('ttl expired', wp_cache_get('ttl', $g) === false);
	t('non-persistent stays in its request', wp_cache_get('np', 'inception-np') === false);
	t('flush_group effect persisted', wp_cache_get('y', 'inception-flushme') === false && wp_cache_get('x', 'inception-other') === 1);
	wp_cache_set('rt', 'v', $g);
	t('flush_runtime keeps redis', wp_cache_flush_runtime() && wp_cache_get('rt', $g) === 'v');
	t('delete_multiple', wp_cache_delete_multiple(['a', 'b', 'nope'], $g) === ['a' => true, 'b' => true, 'nope' => false]);
	// WordPress's own data goes through it too.
	t('alloptions cached', is_array(wp_cache_get('alloptions', 'options')));
}
echo "checks: $n failed: $bad\n";
