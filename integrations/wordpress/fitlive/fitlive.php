<?php
/**
 * Plugin Name:       FitLive
 * Description:       Live fitness classes and broadcasts from your FitLive server on WordPress pages: the [fitlive_class] and [fitlive_stream] shortcodes join the logged-in member with a token made on this server, so the club's API key never reaches a browser.
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      8.1
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       fitlive
 *
 * @package FitLive
 */

defined( 'ABSPATH' ) || exit;

const FITLIVE_PLUGIN_VERSION = '0.1.0';

require_once __DIR__ . '/includes/class-fitlive-client.php';
require_once __DIR__ . '/includes/class-fitlive-settings.php';
require_once __DIR__ . '/includes/class-fitlive-shortcodes.php';

register_activation_hook( __FILE__, array( 'FitLive_Settings', 'activate' ) );

add_action(
	'init',
	static function (): void {
		( new FitLive_Shortcodes() )->register();
	}
);

if ( is_admin() ) {
	( new FitLive_Settings() )->hooks();
}
