<?php
/**
 * Inception Redis object cache: a WordPress object-cache.php drop-in.
 *
 * Installed into wp-content/ by wordpress-setup.sh only when WP_REDIS_HOST is
 * set (bonus mode), and removed again when it is not. It implements the whole
 * WP_Object_Cache API of WordPress 6.1 on top of php-redis.
 *
 * Every value lives twice: in a per-request array (the "runtime" cache, which
 * is all WordPress's default cache has) and in redis, so it survives the
 * request. Groups declared non-persistent never reach redis.
 *
 * When redis cannot be reached (stopped, restarting, not deployed) the site
 * keeps working uncached: the connection attempt is short, the failure is
 * remembered for a few seconds in a file so that every request does not pay
 * for it again, and the cache reports itself as not external, so WordPress
 * keeps its transients in the database meanwhile. The first request after
 * the pause connects again.
 *
 * Settings (constants written into wp-config.php by wp-config-gen.php):
 *   WP_REDIS_HOST           host name; without it nothing is persistent
 *   WP_REDIS_PORT           6379
 *   WP_REDIS_DATABASE       0 (the database is WordPress's alone: flush
 *                           empties it)
 *   WP_REDIS_PASSWORD_FILE  a file holding the password (not the password)
 *   WP_REDIS_TIMEOUT        connect and read timeout, seconds (0.5)
 *   WP_REDIS_RETRY_AFTER    seconds without a new attempt after a failure (5)
 *   WP_REDIS_PREFIX         key prefix (default: "wp:" and the table prefix)
 */

defined('ABSPATH') || exit;

function wp_cache_init() {
	$GLOBALS['wp_object_cache'] = new WP_Object_Cache();
}

function wp_cache_add($key, $data, $group = '', $expire = 0) {
	global $wp_object_cache;
	return $wp_object_cache->add($key, $data, $group, (int) $expire);
}

function wp_cache_add_multiple(array $data, $group = '', $expire = 0) {
	global $wp_object_cache;
	return $wp_object_cache->add_multiple($data, $group, (int) $expire);
}

function wp_cache_replace($key, $data, $group = '', $expire = 0) {
	global $wp_object_cache;
	return $wp_object_cache->replace($key, $data, $group, (int) $expire);
}

function wp_cache_set($key, $data, $group = '', $expire = 0) {
	global $wp_object_cache;
	return $wp_object_cache->set($key, $data, $group, (int) $expire);
}

function wp_cache_set_multiple(array $data, $group = '', $expire = 0) {
	global $wp_object_cache;
	return $wp_object_cache->set_multiple($data, $group, (int) $expire);
}

function wp_cache_get($key, $group = '', $force = false, &$found = null) {
	global $wp_object_cache;
	return $wp_object_cache->get($key, $group, $force, $found);
}

function wp_cache_get_multiple($keys, $group = '', $force = false) {
	global $wp_object_cache;
	return $wp_object_cache->get_multiple($keys, $group, $force);
}

function wp_cache_delete($key, $group = '') {
	global $wp_object_cache;
	return $wp_object_cache->delete($key, $group);
}

function wp_cache_delete_multiple(array $keys, $group = '') {
	global $wp_object_cache;
	return $wp_object_cache->delete_multiple($keys, $group);
}

function wp_cache_incr($key, $offset = 1, $group = '') {
	global $wp_object_cache;
	return $wp_object_cache->incr($key, $offset, $group);
}

function wp_cache_decr($key, $offset = 1, $group = '') {
	global $wp_object_cache;
	return $wp_object_cache->decr($key, $offset, $group);
}

function wp_cache_flush() {
	global $wp_object_cache;
	return $wp_object_cache->flush();
}

function wp_cache_flush_runtime() {
	global $wp_object_cache;
	return $wp_object_cache->flush_runtime();
}

function wp_cache_flush_group($group) {
	global $wp_object_cache;
	return $wp_object_cache->flush_group($group);
}

function wp_cache_supports($feature) {
	switch ($feature) {
		case 'add_multiple':
		case 'set_multiple':
		case 'get_multiple':
		case 'delete_multiple':
		case 'flush_runtime':
		case 'flush_group':
			return true;
		default:
			return false;
	}
}

function wp_cache_close() {
	global $wp_object_cache;
	return $wp_object_cache->close();
}

function wp_cache_add_global_groups($groups) {
	global $wp_object_cache;
	$wp_object_cache->add_global_groups($groups);
}

function wp_cache_add_non_persistent_groups($groups) {
	global $wp_object_cache;
	$wp_object_cache->add_non_persistent_groups($groups);
}

function wp_cache_switch_to_blog($blog_id) {
	global $wp_object_cache;
	$wp_object_cache->switch_to_blog($blog_id);
}

/**
 * @deprecated 3.5.0 WordPress's own deprecation: use wp_cache_switch_to_blog().
 */
function wp_cache_reset() {
	if (function_exists('_deprecated_function')) {
		_deprecated_function(__FUNCTION__, '3.5.0', 'wp_cache_switch_to_blog()');
	}
	global $wp_object_cache;
	$wp_object_cache->reset();
}

class WP_Object_Cache {
	/** @var array<string, array<string, mixed>> group => (blog-prefixed key => value) */
	private $cache = array();
	/** @var array<string, true> */
	protected $global_groups = array();
	/** @var array<string, true> */
	protected $non_persistent_groups = array();
	private $blog_prefix = '';
	private $multisite = false;
	private $prefix = '';
	/** @var Redis|null null when not configured or unreachable */
	private $redis = null;
	private $retry_after = 5;
	private $down_file = '';

	/** Public like WordPress's own class: debugging tools read them. */
	public $cache_hits = 0;
	public $cache_misses = 0;
	public $redis_calls = 0;

	public function __construct() {
		$this->multisite = is_multisite();
		$this->blog_prefix = $this->multisite ? get_current_blog_id() . ':' : '';
		$table_prefix = isset($GLOBALS['table_prefix']) ? (string) $GLOBALS['table_prefix'] : 'wp_';
		$this->prefix = defined('WP_REDIS_PREFIX') ? (string) WP_REDIS_PREFIX : 'wp:' . $table_prefix;
		$this->retry_after = defined('WP_REDIS_RETRY_AFTER') ? (int) WP_REDIS_RETRY_AFTER : 5;
		$this->connect();
		// Load bearing: WordPress stores transients in the object cache
		// instead of the database only while this is true.
		if (function_exists('wp_using_ext_object_cache')) {
			wp_using_ext_object_cache($this->redis !== null);
		}
	}

	/** True when this request talks to redis. */
	public function redis_connected() {
		return $this->redis !== null;
	}

	private function connect() {
		if (!defined('WP_REDIS_HOST') || WP_REDIS_HOST === '' || !class_exists('Redis')) {
			return;
		}
		$this->down_file = sys_get_temp_dir() . '/wp-redis-down-' . md5(WP_REDIS_HOST . $this->prefix);
		// A recent failure: do not make this request wait for it again.
		$down = @filemtime($this->down_file);
		if ($down !== false && time() - $down < $this->retry_after) {
			return;
		}
		$timeout = defined('WP_REDIS_TIMEOUT') ? (float) WP_REDIS_TIMEOUT : 0.5;
		$port = defined('WP_REDIS_PORT') ? (int) WP_REDIS_PORT : 6379;
		try {
			$redis = new Redis();
			// @: the failure is reported once, by fail(), not at every request.
			if (!@$redis->connect(WP_REDIS_HOST, $port, $timeout, null, 0, $timeout)) {
				throw new RedisException('connect failed');
			}
			if (defined('WP_REDIS_PASSWORD_FILE') && WP_REDIS_PASSWORD_FILE !== '') {
				$password = @file_get_contents(WP_REDIS_PASSWORD_FILE);
				if ($password === false) {
					throw new RedisException('cannot read ' . WP_REDIS_PASSWORD_FILE);
				}
				if (!$redis->auth(rtrim($password, "\r\n"))) {
					throw new RedisException('AUTH refused');
				}
			}
			$db = defined('WP_REDIS_DATABASE') ? (int) WP_REDIS_DATABASE : 0;
			if ($db !== 0 && !$redis->select($db)) {
				throw new RedisException("SELECT $db refused");
			}
			$this->redis = $redis;
			if ($down !== false) {
				@unlink($this->down_file);
			}
		} catch (Throwable $e) {
			$this->fail($e);
		}
	}

	/** Redis failed: uncached for the rest of this request, and remember why. */
	private function fail(Throwable $e) {
		if ($this->redis !== null) {
			try {
				$this->redis->close();
			} catch (Throwable $ignored) {
				// The connection is already gone.
			}
		}
		$this->redis = null;
		if ($this->down_file !== '') {
			$first = !file_exists($this->down_file);
			@touch($this->down_file);
			if ($first) {
				error_log('object-cache: redis unavailable, running uncached: ' . $e->getMessage());
			}
		}
	}

	private function valid_key($key) {
		if (is_int($key) || (is_string($key) && trim($key) !== '')) {
			return true;
		}
		if (function_exists('_doing_it_wrong')) {
			$type = gettype($key);
			_doing_it_wrong(
				'WP_Object_Cache',
				"Cache key must be an integer or a non-empty string, $type given.",
				'6.1.0'
			);
		}
		return false;
	}

	private static function group($group) {
		return ($group === '' || $group === null) ? 'default' : (string) $group;
	}

	/** The key inside the runtime array of its group. */
	private function runtime_key($key, $group) {
		return isset($this->global_groups[$group]) ? (string) $key : $this->blog_prefix . $key;
	}

	private function persistent($group) {
		return $this->redis !== null && !isset($this->non_persistent_groups[$group]);
	}

	/**
	 * prefix:group:[blog:]key. The group is percent-encoded so that it holds
	 * no ':' (no two (group, key) pairs share a name) and no glob character
	 * (flush_group's SCAN pattern).
	 */
	private function redis_key($rkey, $group) {
		return $this->prefix . ':' . rawurlencode($group) . ':' . $rkey;
	}

	/**
	 * Integers are stored as decimal text so that INCRBY works on them;
	 * everything else is serialize()d, whose text never looks like an integer.
	 */
	private static function encode($data) {
		return is_int($data) ? (string) $data : serialize($data);
	}

	private static function decode($raw) {
		if (preg_match('/^-?[0-9]+$/', $raw)) {
			return (int) $raw;
		}
		return unserialize($raw);
	}

	private static function copy($data) {
		return is_object($data) ? clone $data : $data;
	}

	private function exists_runtime($rkey, $group) {
		return isset($this->cache[$group]) && array_key_exists($rkey, $this->cache[$group]);
	}

	public function add($key, $data, $group = 'default', $expire = 0) {
		if (function_exists('wp_suspend_cache_addition') && wp_suspend_cache_addition()) {
			return false;
		}
		if (!$this->valid_key($key)) {
			return false;
		}
		$group = self::group($group);
		$rkey = $this->runtime_key($key, $group);
		if ($this->exists_runtime($rkey, $group)) {
			return false;
		}
		if ($this->persistent($group)) {
			$options = array('nx');
			if ($expire > 0) {
				$options['ex'] = $expire;
			}
			try {
				$this->redis_calls++;
				if (!$this->redis->set($this->redis_key($rkey, $group), self::encode($data), $options)) {
					return false;
				}
			} catch (Throwable $e) {
				$this->fail($e);
			}
		}
		$this->cache[$group][$rkey] = self::copy($data);
		return true;
	}

	public function add_multiple(array $data, $group = '', $expire = 0) {
		$values = array();
		foreach ($data as $key => $value) {
			$values[$key] = $this->add($key, $value, $group, $expire);
		}
		return $values;
	}

	public function replace($key, $data, $group = 'default', $expire = 0) {
		if (!$this->valid_key($key)) {
			return false;
		}
		$group = self::group($group);
		$rkey = $this->runtime_key($key, $group);
		$here = $this->exists_runtime($rkey, $group);
		if ($this->persistent($group)) {
			$options = $here ? array() : array('xx');
			if ($expire > 0) {
				$options['ex'] = $expire;
			}
			try {
				$this->redis_calls++;
				if (!$this->redis->set($this->redis_key($rkey, $group), self::encode($data), $options)) {
					return false;
				}
			} catch (Throwable $e) {
				$this->fail($e);
				if (!$here) {
					return false;
				}
			}
		} elseif (!$here) {
			return false;
		}
		$this->cache[$group][$rkey] = self::copy($data);
		return true;
	}

	public function set($key, $data, $group = 'default', $expire = 0) {
		if (!$this->valid_key($key)) {
			return false;
		}
		$group = self::group($group);
		$rkey = $this->runtime_key($key, $group);
		$this->cache[$group][$rkey] = self::copy($data);
		if ($this->persistent($group)) {
			try {
				$this->redis_calls++;
				$rk = $this->redis_key($rkey, $group);
				if ($expire > 0) {
					$this->redis->setex($rk, $expire, self::encode($data));
				} else {
					$this->redis->set($rk, self::encode($data));
				}
			} catch (Throwable $e) {
				$this->fail($e);
			}
		}
		return true;
	}

	public function set_multiple(array $data, $group = '', $expire = 0) {
		$group = self::group($group);
		$values = array();
		$batch = array();
		foreach ($data as $key => $value) {
			if (!$this->valid_key($key)) {
				$values[$key] = false;
				continue;
			}
			$rkey = $this->runtime_key($key, $group);
			$this->cache[$group][$rkey] = self::copy($value);
			$batch[$this->redis_key($rkey, $group)] = self::encode($value);
			$values[$key] = true;
		}
		if ($batch && $this->persistent($group)) {
			try {
				$this->redis_calls++;
				if ($expire > 0) {
					// One round trip for all of them.
					$pipe = $this->redis->multi(Redis::PIPELINE);
					foreach ($batch as $rk => $raw) {
						$pipe->setex($rk, $expire, $raw);
					}
					$pipe->exec();
				} else {
					$this->redis->mset($batch);
				}
			} catch (Throwable $e) {
				$this->fail($e);
			}
		}
		return $values;
	}

	public function get($key, $group = 'default', $force = false, &$found = null) {
		$found = false;
		if (!$this->valid_key($key)) {
			return false;
		}
		$group = self::group($group);
		$rkey = $this->runtime_key($key, $group);
		$persistent = $this->persistent($group);
		// $force: the caller wants redis's value, not this request's copy.
		if ($this->exists_runtime($rkey, $group) && (!$force || !$persistent)) {
			$found = true;
			$this->cache_hits++;
			return self::copy($this->cache[$group][$rkey]);
		}
		if ($persistent) {
			try {
				$this->redis_calls++;
				$raw = $this->redis->get($this->redis_key($rkey, $group));
				if (is_string($raw)) {
					$value = self::decode($raw);
					if ($value !== false || $raw === 'b:0;') {
						$this->cache[$group][$rkey] = $value;
						$found = true;
						$this->cache_hits++;
						return self::copy($value);
					}
				}
			} catch (Throwable $e) {
				$this->fail($e);
			}
		}
		$this->cache_misses++;
		return false;
	}

	public function get_multiple($keys, $group = 'default', $force = false) {
		$group = self::group($group);
		$values = array();
		$wanted = array();
		$persistent = $this->persistent($group);
		foreach ((array) $keys as $key) {
			$values[$key] = false;
			if (!$this->valid_key($key)) {
				continue;
			}
			$rkey = $this->runtime_key($key, $group);
			if ($this->exists_runtime($rkey, $group) && (!$force || !$persistent)) {
				$values[$key] = self::copy($this->cache[$group][$rkey]);
				$this->cache_hits++;
			} elseif ($persistent) {
				$wanted[$key] = $rkey;
			} else {
				$this->cache_misses++;
			}
		}
		if (!$wanted) {
			return $values;
		}
		try {
			$this->redis_calls++;
			$names = array();
			foreach ($wanted as $rkey) {
				$names[] = $this->redis_key($rkey, $group);
			}
			$raws = $this->redis->mget($names);
			$i = 0;
			foreach ($wanted as $key => $rkey) {
				$raw = is_array($raws) && isset($raws[$i]) ? $raws[$i] : false;
				$i++;
				$value = is_string($raw) ? self::decode($raw) : false;
				if (is_string($raw) && ($value !== false || $raw === 'b:0;')) {
					$this->cache[$group][$rkey] = $value;
					$values[$key] = self::copy($value);
					$this->cache_hits++;
				} else {
					$this->cache_misses++;
				}
			}
		} catch (Throwable $e) {
			$this->fail($e);
			$this->cache_misses += count($wanted);
		}
		return $values;
	}

	public function delete($key, $group = 'default', $deprecated = false) {
		if (!$this->valid_key($key)) {
			return false;
		}
		$group = self::group($group);
		$rkey = $this->runtime_key($key, $group);
		$deleted = $this->exists_runtime($rkey, $group);
		unset($this->cache[$group][$rkey]);
		if ($this->persistent($group)) {
			try {
				$this->redis_calls++;
				$deleted = $this->redis->del($this->redis_key($rkey, $group)) > 0 || $deleted;
			} catch (Throwable $e) {
				$this->fail($e);
			}
		}
		return $deleted;
	}

	public function delete_multiple(array $keys, $group = '') {
		$values = array();
		foreach ($keys as $key) {
			$values[$key] = $this->delete($key, $group);
		}
		return $values;
	}

	public function incr($key, $offset = 1, $group = 'default') {
		return $this->add_number($key, (int) $offset, $group);
	}

	public function decr($key, $offset = 1, $group = 'default') {
		return $this->add_number($key, -(int) $offset, $group);
	}

	/**
	 * WordPress's semantics: false for a missing key, a non-numeric value
	 * counts as 0, the result never goes below 0. In redis an integer is
	 * changed with INCRBY (atomic between requests); anything else is read,
	 * changed and written back.
	 */
	private function add_number($key, $offset, $group) {
		if (!$this->valid_key($key)) {
			return false;
		}
		$group = self::group($group);
		$rkey = $this->runtime_key($key, $group);
		if ($this->persistent($group)) {
			$rk = $this->redis_key($rkey, $group);
			try {
				$this->redis_calls++;
				if (!$this->redis->exists($rk)) {
					unset($this->cache[$group][$rkey]);
					return false;
				}
				$value = null;
				try {
					$value = $this->redis->incrBy($rk, $offset);
				} catch (RedisException $e) {
					$value = null; // not an integer
				}
				if (!is_int($value)) {
					$raw = $this->redis->get($rk);
					$current = is_string($raw) ? self::decode($raw) : 0;
					$value = (is_numeric($current) ? (int) $current : 0) + $offset;
					$this->redis->set($rk, (string) max(0, $value), array('keepttl'));
				}
				if ($value < 0) {
					$value = 0;
					$this->redis->set($rk, '0', array('keepttl'));
				}
				$this->cache[$group][$rkey] = $value;
				return $value;
			} catch (Throwable $e) {
				$this->fail($e);
			}
		}
		if (!$this->exists_runtime($rkey, $group)) {
			return false;
		}
		$current = $this->cache[$group][$rkey];
		$value = max(0, (is_numeric($current) ? (int) $current : 0) + $offset);
		$this->cache[$group][$rkey] = $value;
		return $value;
	}

	/** Everything: this request's copies and the whole redis database. */
	public function flush() {
		$this->cache = array();
		if ($this->redis !== null) {
			try {
				$this->redis_calls++;
				return (bool) $this->redis->flushDb();
			} catch (Throwable $e) {
				$this->fail($e);
				return false;
			}
		}
		return true;
	}

	public function flush_runtime() {
		$this->cache = array();
		return true;
	}

	/** One group, for every site: this request's copies and its redis keys. */
	public function flush_group($group) {
		$group = self::group($group);
		unset($this->cache[$group]);
		if ($this->redis === null || isset($this->non_persistent_groups[$group])) {
			return true;
		}
		try {
			$this->redis->setOption(Redis::OPT_SCAN, Redis::SCAN_RETRY);
			$pattern = $this->redis_key('*', $group);
			$iterator = null;
			do {
				$this->redis_calls++;
				$keys = $this->redis->scan($iterator, $pattern, 500);
				if ($keys) {
					$this->redis->del($keys);
				}
			} while ($iterator > 0);
			return true;
		} catch (Throwable $e) {
			$this->fail($e);
			return false;
		}
	}

	public function add_global_groups($groups) {
		foreach ((array) $groups as $group) {
			$this->global_groups[self::group($group)] = true;
		}
	}

	public function add_non_persistent_groups($groups) {
		foreach ((array) $groups as $group) {
			$this->non_persistent_groups[self::group($group)] = true;
		}
	}

	public function switch_to_blog($blog_id) {
		$this->blog_prefix = $this->multisite ? (int) $blog_id . ':' : '';
	}

	/** @deprecated 3.5.0 Like WordPress's: forget this site's runtime copies. */
	public function reset() {
		foreach (array_keys($this->cache) as $group) {
			if (!isset($this->global_groups[$group])) {
				unset($this->cache[$group]);
			}
		}
	}

	public function close() {
		if ($this->redis !== null) {
			try {
				$this->redis->close();
			} catch (Throwable $e) {
				// Closing a dead connection: nothing to do.
			}
			$this->redis = null;
		}
		return true;
	}

	/** Like WordPress's: hits, misses, redis round trips and group sizes. */
	public function stats() {
		echo '<p>';
		echo '<strong>Cache Hits:</strong> ' . (int) $this->cache_hits . '<br />';
		echo '<strong>Cache Misses:</strong> ' . (int) $this->cache_misses . '<br />';
		echo '<strong>Redis calls:</strong> ' . (int) $this->redis_calls . '<br />';
		echo '<strong>Redis:</strong> ' . ($this->redis !== null ? 'connected' : 'not connected') . '<br />';
		echo '</p><ul>';
		foreach ($this->cache as $group => $cache) {
			$size = strlen(serialize($cache)) / 1024;
			echo '<li><strong>Group:</strong> ' . htmlspecialchars($group) . ' - ( ' . number_format($size, 2) . 'k )</li>';
		}
		echo '</ul>';
	}
}
