<?php
/**
 * Deleting the plugin deletes its settings, the club's API key included.
 *
 * @package FitLive
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

$fitlive_options = array( 'fitlive_server', 'fitlive_api_key', 'fitlive_token_ttl' );

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $fitlive_site_id ) {
		switch_to_blog( (int) $fitlive_site_id );
		foreach ( $fitlive_options as $fitlive_option ) {
			delete_option( $fitlive_option );
		}
		restore_current_blog();
	}
} else {
	foreach ( $fitlive_options as $fitlive_option ) {
		delete_option( $fitlive_option );
	}
}
