<?php
// Content changes made with WordPress's own functions, for the page cache's
// purge checks (tests/e2e/t_cache.sh, tests/bench/stack.sh). Run as www-data
// inside the wordpress container:
//   php -- publish TITLE          prints the new post's id
//   php -- edit ID TITLE          the post's new title
//   php -- comment ID TEXT        a comment held for moderation; prints its id
//   php -- approve COMMENT-ID
//   php -- theme STYLESHEET       switch_theme(), as Appearance > Themes does
//   php -- purge                  the mu-plugin's own emptying of the cache
// Exits 1 with the reason when WordPress did not do it.
$_SERVER['REQUEST_URI'] = '/';
require '/var/www/html/wp-load.php';

function done_or_die($ok, string $what): void {
    if (is_wp_error($ok) || !$ok) {
        fwrite(STDERR, "cache-content: $what failed" . (is_wp_error($ok) ? ': ' . $ok->get_error_message() : '') . "\n");
        exit(1);
    }
}

$args = array_slice($argv, 1);
$admin = get_users(['role' => 'administrator', 'number' => 1]);
$author = $admin ? $admin[0]->ID : 1;
switch ($args[0] ?? '') {
case 'publish':
    $id = wp_insert_post(['post_title' => $args[1], 'post_content' => 'Published by the e2e tests.',
                          'post_status' => 'publish', 'post_author' => $author], true);
    done_or_die($id, 'wp_insert_post');
    echo "$id\n";
    break;
case 'edit':
    done_or_die(wp_update_post(['ID' => (int) $args[1], 'post_title' => $args[2]], true), 'wp_update_post');
    break;
case 'comment':
    // Held (0), as a first comment of an unknown visitor would be: only the
    // approval makes it public.
    $cid = wp_insert_comment(['comment_post_ID' => (int) $args[1], 'comment_content' => $args[2],
                              'comment_author' => 'e2e visitor', 'comment_approved' => 0]);
    done_or_die($cid, 'wp_insert_comment');
    echo "$cid\n";
    break;
case 'approve':
    done_or_die(wp_set_comment_status((int) $args[1], 'approve', true), 'wp_set_comment_status');
    break;
case 'theme':
    switch_theme($args[1]);
    done_or_die(get_stylesheet() === $args[1], "switch_theme($args[1]) (now " . get_stylesheet() . ')');
    break;
case 'purge':
    done_or_die(function_exists('inception_page_cache_empty'), 'the page cache mu-plugin is not loaded:');
    echo inception_page_cache_empty(), "\n";
    break;
default:
    fwrite(STDERR, "usage: php -- publish TITLE | edit ID TITLE | comment ID TEXT | approve CID | theme NAME | purge\n");
    exit(2);
}
