<?php
/*
 * Plugin Name: Inception page cache
 * Description: Keeps nginx's page cache fresh: it is emptied when a post is published, edited or removed, a comment appears or changes, or the theme, a menu, a widget or the site's settings change. And Site Health is told how to recognise it.
 *
 * nginx (services/nginx/page-cache.conf) stores whole pages for anonymous
 * visitors on the "pagecache" volume, a tmpfs that this container mounts too.
 * nginx 1.22 has no purge of its own (that is a third-party module), but it
 * takes a missing cache file for a miss: emptying the cache is deleting its
 * files. A must-use plugin, copied into wp-content/mu-plugins/ by
 * wordpress-setup.sh at every start. docs/stack.md, "Page cache".
 */

defined('ABSPATH') || exit;

// nginx's fastcgi_cache_path (levels=1:2: two folder levels, then files named
// by the MD5 of the key), and a file that holds the time of the last change
// of content (microtime(true); its mtime would be whole seconds only).
const INCEPTION_PAGE_CACHE_DIR = '/var/cache/inception/pages';
const INCEPTION_PAGE_CACHE_CHANGED = '/var/cache/inception/changed';

// A page whose rendering began before a change and ended after it shows the
// old content, and nginx would keep it for the cache's whole lifetime: such a
// page goes to its visitor but not into the cache (X-Accel-Expires: 0, which
// nginx obeys and does not pass on). The page is held in a buffer so that the
// header can still be sent once it is complete. Only GET and HEAD pages of the
// site are candidates for the cache (the admin, REST and cron never are).
if (in_array($_SERVER['REQUEST_METHOD'] ?? '', ['GET', 'HEAD'], true)
    && !is_admin() && !wp_doing_cron() && PHP_SAPI !== 'cli') {
    $inception_render_began = $_SERVER['REQUEST_TIME_FLOAT'] ?? microtime(true);
    ob_start(function (string $page, int $phase) use ($inception_render_began): string {
        if (($phase & PHP_OUTPUT_HANDLER_FINAL) && !headers_sent()) {
            $changed = @file_get_contents(INCEPTION_PAGE_CACHE_CHANGED);
            // No file: no change since the volume was made. An empty one is
            // being written right now: a change, then.
            if ($changed !== false && ($changed === '' || (float) $changed >= $inception_render_began)) {
                header('X-Accel-Expires: 0');
            }
        }
        return $page;
    });
}

/**
 * Deletes every cached page. Only nginx's cache files (32 hex digits) are
 * removed: its folders stay, and so do the temporary files it is writing
 * (their names have a suffix), which it renames into place when complete.
 */
function inception_page_cache_empty(): int {
    if (!is_dir(INCEPTION_PAGE_CACHE_DIR)) {
        return 0;
    }
    $removed = 0;
    $files = new RecursiveIteratorIterator(
        new RecursiveDirectoryIterator(INCEPTION_PAGE_CACHE_DIR, FilesystemIterator::SKIP_DOTS)
    );
    foreach ($files as $file) {
        if (preg_match('/^[0-9a-f]{32}$/', $file->getFilename()) && @unlink($file->getPathname())) {
            $removed++;
        }
    }
    return $removed;
}

/**
 * Content changed: note the time (for pages being rendered right now), empty
 * the cache at once, and again when this request ends, after whatever else it
 * changes and whatever page was stored in between. The whole cache, not the
 * affected pages: a post is on the home page, its archives, its feed, the
 * neighbouring posts' links and the widgets of every page, and a purge costs
 * one fresh render of each page visited next (docs/stack.md, "Page cache").
 */
function inception_page_cache_changed(): void {
    static $pending = false;
    @file_put_contents(INCEPTION_PAGE_CACHE_CHANGED, microtime(true));
    if ($pending) {
        return;
    }
    $pending = true;
    inception_page_cache_empty();
    add_action('shutdown', function (): void {
        @file_put_contents(INCEPTION_PAGE_CACHE_CHANGED, microtime(true));
        inception_page_cache_empty();
    }, PHP_INT_MAX);
}

// Posts and pages: publishing, editing, unpublishing, trashing, a scheduled
// post going live (through WP-Cron). Drafts, revisions and auto-saves never
// reached a visitor: a change concerns visitors only if the post was or
// becomes public.
add_action('transition_post_status', function (string $new, string $old, WP_Post $post): void {
    if (($new === 'publish' || $old === 'publish') && is_post_type_viewable($post->post_type)) {
        inception_page_cache_changed();
    }
}, 10, 3);
add_action('before_delete_post', function (int $id): void {
    if (get_post_status($id) === 'publish') {
        inception_page_cache_changed();
    }
});

// Comments: a new one shown at once, approval, unapproval, spam, trash, an edit.
add_action('comment_post', function (int $id, $approved): void {
    if ($approved === 1) {
        inception_page_cache_changed();
    }
}, 10, 2);
add_action('transition_comment_status', 'inception_page_cache_changed');
add_action('edit_comment', 'inception_page_cache_changed');
add_action('deleted_comment', 'inception_page_cache_changed');

// What every page shows: the theme, its settings, menus, widgets, categories
// and tags, the authors' names, plugins coming or going, and the settings
// pages have (title, tagline, front page, formats).
foreach (['switch_theme', 'customize_save_after', 'wp_update_nav_menu', 'wp_delete_nav_menu',
          'edited_term', 'delete_term', 'profile_update', 'activated_plugin',
          'deactivated_plugin', 'upgrader_process_complete'] as $inception_hook) {
    add_action($inception_hook, 'inception_page_cache_changed');
}
add_action('updated_option', function (string $option): void {
    static $shown = ['blogname', 'blogdescription', 'show_on_front', 'page_on_front', 'page_for_posts',
                     'posts_per_page', 'date_format', 'time_format', 'start_of_week', 'WPLANG',
                     'permalink_structure', 'sidebars_widgets', 'site_icon', 'stylesheet', 'template',
                     'show_avatars', 'comment_registration', 'thread_comments', 'comments_per_page'];
    if (in_array($option, $shown, true) || str_starts_with($option, 'widget_')
        || str_starts_with($option, 'theme_mods_')) {
        inception_page_cache_changed();
    }
});

// Site Health's page cache test fetches the home page three times and looks
// for headers it knows; nginx's own is not among them. A HIT is what proves
// a page cache, as for the X-Srcache headers WordPress already accepts.
add_filter('site_status_page_cache_supported_cache_headers', function (array $headers): array {
    $headers['x-cache-status'] = static function (string $value): bool {
        return strtolower($value) === 'hit';
    };
    return $headers;
});
