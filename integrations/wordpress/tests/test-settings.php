<?php
/**
 * The settings page's sanitizers and the API key field.
 *
 * @package FitLive
 */

test( 'settings: server URL sanitized, trailing slash trimmed, a bad one keeps the saved value', function (): void {
	assert_same( 'https://media.example-club.com', FitLive_Settings::sanitize_server( ' https://media.example-club.com/ ' ) );
	assert_same( 'http://localhost:8080', FitLive_Settings::sanitize_server( 'http://localhost:8080' ) );
	assert_same( '', FitLive_Settings::sanitize_server( '' ), 'cleared' );
	update_option( FitLive_Settings::OPTION_SERVER, 'https://saved.example' );
	foreach ( array( 'javascript:alert(1)', 'ftp://example.com', 'not a url', 'https://example.com/?x=1' ) as $bad ) {
		assert_same( 'https://saved.example', FitLive_Settings::sanitize_server( $bad ), "refused: {$bad}" );
	}
	assert_same( 4, count( $GLOBALS['fitlive_wp']['settings_errors'] ), 'each refusal says why' );
	assert_same( '', FitLive_Settings::sanitize_server( array( 'x' ) ) );
} );

test( 'settings: an empty key field keeps the saved key; junk is refused; a key replaces it', function (): void {
	update_option( FitLive_Settings::OPTION_API_KEY, FITLIVE_TEST_KEY );
	assert_same( FITLIVE_TEST_KEY, FitLive_Settings::sanitize_api_key( '' ) );
	assert_same( FITLIVE_TEST_KEY, FitLive_Settings::sanitize_api_key( '   ' ) );
	assert_same( FITLIVE_TEST_KEY, FitLive_Settings::sanitize_api_key( 'hunter2' ) );
	assert_same( 1, count( $GLOBALS['fitlive_wp']['settings_errors'] ) );
	$new = 'flk_abcdefabcdef_' . str_repeat( 'N', 32 );
	assert_same( $new, FitLive_Settings::sanitize_api_key( " {$new} " ) );
} );

test( 'settings: token lifetime between 60 s and 4 h', function (): void {
	assert_same( 60, FitLive_Settings::sanitize_ttl( '1' ) );
	assert_same( 14400, FitLive_Settings::sanitize_ttl( '99999' ) );
	assert_same( 1800, FitLive_Settings::sanitize_ttl( '1800' ) );
	assert_same( FitLive_Client::DEFAULT_TTL, FitLive_Settings::sanitize_ttl( 'abc' ) );
} );

test( 'settings: the key field never echoes the key, only "…" and its last 4 characters', function (): void {
	update_option( FitLive_Settings::OPTION_API_KEY, FITLIVE_TEST_KEY );
	ob_start();
	( new FitLive_Settings() )->field_api_key();
	$html = (string) ob_get_clean();
	assert_contains( 'value=""', $html );
	assert_contains( '…' . substr( FITLIVE_TEST_KEY, -4 ), $html );
	assert_not_contains( FITLIVE_TEST_KEY, $html );
	assert_not_contains( substr( FITLIVE_TEST_KEY, 0, -4 ), $html );
	assert_same( '', FitLive_Settings::key_hint( 'short' ) );

	delete_option( FitLive_Settings::OPTION_API_KEY );
	ob_start();
	( new FitLive_Settings() )->field_api_key();
	assert_contains( 'No key saved yet', (string) ob_get_clean() );
} );
