<?php
/**
 * The shortcodes through the WordPress stubs: options, the logged-in user, wp_remote_post,
 * enqueueing, logging.
 *
 * @package FitLive
 */

/** The plugin's options set as the settings page saves them. */
function fitlive_test_configure( string $server = FITLIVE_TEST_SERVER, string $key = FITLIVE_TEST_KEY ): void {
	update_option( FitLive_Settings::OPTION_SERVER, $server );
	update_option( FitLive_Settings::OPTION_API_KEY, $key );
	update_option( FitLive_Settings::OPTION_TTL, 1200 );
}

/** @param list<string> $caps */
function fitlive_test_login( int $id = 7, string $name = 'Ana Ruiz', array $caps = array( 'read' ) ): void {
	$GLOBALS['fitlive_wp']['user'] = new WP_User( $id, $name );
	$GLOBALS['fitlive_wp']['caps'] = $caps;
}

/** wp_remote_post answers $status with $body (default: a fresh token). */
function fitlive_test_answer( int $status = 201, ?string $body = null ): void {
	$body ??= json_encode( array( 'token' => FITLIVE_TEST_TOKEN, 'expiresAt' => '2030-01-01T00:00:00.000Z' ) );
	$GLOBALS['fitlive_wp']['remote_post'] = static fn () => fitlive_wp_response( $status, $body );
}

/** The shortcodes with the plugin's own wiring (options, wp_remote_post) and a captured log. */
function fitlive_test_shortcodes( ?array &$logs = null, ?bool $module_api = true ): FitLive_Shortcodes {
	$logs = array();
	$sc   = new FitLive_Shortcodes(
		null,
		static function ( string $line ) use ( &$logs ): void {
			$logs[] = $line;
		},
		$module_api
	);
	$sc->register();
	return $sc;
}

/** The JSON body of the n-th wp_remote_post. */
function fitlive_test_sent( int $n = 0 ): array {
	return json_decode( $GLOBALS['fitlive_wp']['requests'][ $n ]['args']['body'], true );
}

test( 'logged out: a "Log in to join" link back to this page, no token request', function (): void {
	fitlive_test_configure();
	fitlive_test_answer();
	$sc   = fitlive_test_shortcodes();
	$html = $sc->class_shortcode( array( 'id' => 'hiit-monday' ) );
	assert_contains( 'Log in to join', $html );
	assert_contains( 'href="https://club.example/wp-login.php?redirect_to=https%3A%2F%2Fclub.example%2Fclasses%2Fhiit%2F"', $html );
	assert_not_contains( '<fit-class-room', $html );
	assert_same( 0, count( $GLOBALS['fitlive_wp']['requests'] ), 'no request' );
	assert_same( array(), $GLOBALS['fitlive_wp']['modules'], 'no script' );
	assert_contains( 'Log in to watch', $sc->stream_shortcode( array( 'id' => 'sunday-hiit' ) ) );
} );

test( 'logged in: the token request carries the key, JSON and the user; the element the token', function (): void {
	fitlive_test_configure();
	fitlive_test_login( 7, 'Ana Ruiz' );
	fitlive_test_answer();
	$html = fitlive_test_shortcodes()->class_shortcode( array( 'id' => 'hiit-monday' ) );

	$sent = $GLOBALS['fitlive_wp']['requests'];
	assert_same( 1, count( $sent ) );
	assert_same( FITLIVE_TEST_SERVER . '/api/v1/tokens', $sent[0]['url'] );
	assert_same( 'Bearer ' . FITLIVE_TEST_KEY, $sent[0]['args']['headers']['Authorization'] );
	assert_same( 'application/json', $sent[0]['args']['headers']['Content-Type'] );
	assert_same( 0, $sent[0]['args']['redirection'], 'the Authorization header never follows a redirect' );
	assert_same( array( 'classId' => 'hiit-monday', 'role' => 'member', 'identity' => 'wp-7', 'name' => 'Ana Ruiz', 'ttlSeconds' => 1200 ), fitlive_test_sent() );

	assert_same( '<fit-class-room server="https://media.example-club.com" class-id="hiit-monday" token="' . FITLIVE_TEST_TOKEN . '"></fit-class-room>', $html );
	assert_true( defined( 'DONOTCACHEPAGE' ), 'page caches are told to skip the page' );
} );

test( 'role="coach" without the capability joins as a member', function (): void {
	fitlive_test_configure();
	fitlive_test_login( 8, 'Not Staff', array( 'read' ) );
	fitlive_test_answer();
	fitlive_test_shortcodes()->class_shortcode( array( 'id' => 'hiit-monday', 'role' => 'coach' ) );
	assert_same( 'member', fitlive_test_sent()['role'] );
} );

test( 'role="coach" with edit_posts coaches; role="member" stays member', function (): void {
	fitlive_test_configure();
	fitlive_test_login( 2, 'Coach Sam', array( 'read', 'edit_posts' ) );
	fitlive_test_answer();
	$sc = fitlive_test_shortcodes();
	$sc->class_shortcode( array( 'id' => 'hiit-monday', 'role' => 'coach' ) );
	$sc->class_shortcode( array( 'id' => 'hiit-monday' ) );
	assert_same( 'coach', fitlive_test_sent( 0 )['role'] );
	assert_same( 'member', fitlive_test_sent( 1 )['role'] );
} );

test( 'the coach capability is filterable', function (): void {
	fitlive_test_configure();
	fitlive_test_login( 2, 'Coach Sam', array( 'read', 'edit_posts' ) );
	fitlive_test_answer();
	add_filter( 'fitlive_coach_capability', fn () => 'fitlive_coach' );
	$sc = fitlive_test_shortcodes();
	$sc->class_shortcode( array( 'id' => 'hiit-monday', 'role' => 'coach' ) );
	assert_same( 'member', fitlive_test_sent( 0 )['role'], 'edit_posts is no longer enough' );
	$GLOBALS['fitlive_wp']['caps'][] = 'fitlive_coach';
	$sc->class_shortcode( array( 'id' => 'hiit-monday', 'role' => 'coach' ) );
	assert_same( 'coach', fitlive_test_sent( 1 )['role'] );
} );

test( '[fitlive_stream]: a viewer token and <fit-live-stream>', function (): void {
	fitlive_test_configure();
	fitlive_test_login( 7, 'Ana' );
	fitlive_test_answer();
	$html = fitlive_test_shortcodes()->stream_shortcode( array( 'id' => 'sunday-hiit', 'role' => 'coach' ) );
	assert_same( array( 'streamId' => 'sunday-hiit', 'role' => 'viewer', 'identity' => 'wp-7', 'name' => 'Ana', 'ttlSeconds' => 1200 ), fitlive_test_sent() );
	assert_same( '<fit-live-stream server="https://media.example-club.com" stream-id="sunday-hiit" token="' . FITLIVE_TEST_TOKEN . '"></fit-live-stream>', $html );
} );

test( 'registered as fitlive_class and fitlive_stream', function (): void {
	fitlive_test_shortcodes();
	assert_same( array( 'fitlive_class', 'fitlive_stream' ), array_keys( $GLOBALS['fitlive_wp']['shortcodes'] ) );
} );

test( 'hostile class id and display name: escaped in HTML, text in JSON', function (): void {
	fitlive_test_configure();
	$name = 'Eve"><script>alert(2)</script>';
	fitlive_test_login( 9, $name );
	fitlive_test_answer();
	$id   = '"><script>alert(1)</script>';
	$html = fitlive_test_shortcodes()->class_shortcode( array( 'id' => $id ) );
	assert_not_contains( '<script', $html );
	assert_contains( 'class-id="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"', $html );
	assert_not_contains( 'Eve', $html, 'the name is in the token, not the page' );
	assert_same( $id, fitlive_test_sent()['classId'] );
	assert_same( $name, fitlive_test_sent()['name'] );
} );

test( 'the API key never reaches the page (element, footer, notices) or the log', function (): void {
	fitlive_test_configure();
	$sc   = fitlive_test_shortcodes( $logs );
	$page = $sc->class_shortcode( array( 'id' => 'hiit-monday' ) ); // Logged out.
	fitlive_test_login( 2, 'Coach Sam', array( 'edit_posts' ) );
	fitlive_test_answer();
	$page .= $sc->class_shortcode( array( 'id' => 'hiit-monday', 'role' => 'coach' ) );
	$page .= $sc->stream_shortcode( array( 'id' => 'sunday-hiit' ) );
	fitlive_test_answer( 401, '{"error":{"code":"unauthorized","message":"Unknown or revoked API key ' . FITLIVE_TEST_KEY . '"}}' );
	$page .= $sc->class_shortcode( array( 'id' => 'hiit-monday' ) );
	$page .= fitlive_wp_footer();
	assert_contains( '<fit-class-room', $page );
	assert_contains( '<fit-live-stream', $page );
	assert_not_contains( FITLIVE_TEST_KEY, $page );
	assert_not_contains( substr( FITLIVE_TEST_KEY, 17 ), $page, 'not even the secret part' );
	assert_not_contains( 'Bearer', $page );
	assert_same( 1, count( $logs ) );
	assert_not_contains( FITLIVE_TEST_KEY, $logs[0] );
} );

test( 'API error: a friendly notice, the status in error_log, no server text on the page', function (): void {
	fitlive_test_configure();
	fitlive_test_login();
	$sc = fitlive_test_shortcodes( $logs );

	fitlive_test_answer( 404, '{"error":{"code":"class_not_found","message":"No such class in this club"}}' );
	$html = $sc->class_shortcode( array( 'id' => 'gone' ) );
	assert_same( '<p class="fitlive-notice">This class is not available.</p>', $html );
	assert_same( 'FitLive: token request for a class failed: HTTP 404 (class_not_found)', $logs[0] );

	fitlive_test_answer( 500, '{"error":{"code":"internal_error","message":"db down at 10.0.0.5"}}' );
	$html = $sc->class_shortcode( array( 'id' => 'hiit-monday' ) );
	assert_contains( 'could not be loaded right now', $html );
	assert_not_contains( 'db down', $html );
	assert_not_contains( '500', $html );
	assert_contains( 'HTTP 500 (internal_error)', $logs[1] );

	$GLOBALS['fitlive_wp']['remote_post'] = static fn () => new WP_Error( 'http_request_failed', 'cURL error 7: Failed to connect to media.example-club.com' );
	$html = $sc->stream_shortcode( array( 'id' => 'sunday-hiit' ) );
	assert_contains( 'The broadcast could not be loaded right now', $html );
	assert_not_contains( 'cURL', $html );
	assert_same( 'FitLive: token request for a stream failed: HTTP 0 (no_answer, http_request_failed)', $logs[2] );

	assert_same( array(), $GLOBALS['fitlive_wp']['modules'], 'no script without an element' );
} );

test( 'the module script is printed once for two shortcodes (wp_enqueue_script_module)', function (): void {
	fitlive_test_configure();
	fitlive_test_login();
	fitlive_test_answer();
	$sc   = fitlive_test_shortcodes( $logs, true );
	$page = $sc->class_shortcode( array( 'id' => 'hiit-monday' ) ) . $sc->stream_shortcode( array( 'id' => 'sunday-hiit' ) ) . fitlive_wp_footer();
	assert_same( 1, substr_count( $page, 'fitlive.js' ), 'one script' );
	assert_contains( '<script type="module" src="https://media.example-club.com/fitlive.js"', $page );
	assert_same( array(), $GLOBALS['fitlive_wp']['scripts'], 'no classic script as well' );
} );

test( 'before WordPress 6.5: wp_enqueue_script + script_loader_tag, still once and a module', function (): void {
	fitlive_test_configure();
	fitlive_test_login();
	fitlive_test_answer();
	$sc   = fitlive_test_shortcodes( $logs, false );
	$page = $sc->class_shortcode( array( 'id' => 'hiit-monday' ) ) . $sc->class_shortcode( array( 'id' => 'demo-yoga' ) ) . fitlive_wp_footer();
	assert_same( 1, substr_count( $page, 'fitlive.js' ), 'one script' );
	assert_contains( '<script type="module" src="https://media.example-club.com/fitlive.js" id="fitlive-js"></script>', $page );
	assert_same( 1, count( $GLOBALS['fitlive_wp']['filters']['script_loader_tag'] ?? array() ), 'the filter is added once' );
	assert_same( array(), $GLOBALS['fitlive_wp']['modules'] );
} );

test( 'no id, or not configured: a notice and no request', function (): void {
	fitlive_test_login();
	fitlive_test_answer();
	$sc = fitlive_test_shortcodes();
	assert_contains( 'needs an id', $sc->class_shortcode( array() ) );
	assert_contains( 'needs an id', $sc->stream_shortcode( '' ) );
	assert_contains( 'not set up', $sc->class_shortcode( array( 'id' => 'hiit-monday' ) ) );
	update_option( FitLive_Settings::OPTION_SERVER, FITLIVE_TEST_SERVER );
	assert_contains( 'not set up', fitlive_test_shortcodes()->class_shortcode( array( 'id' => 'hiit-monday' ) ), 'a server but no key' );
	assert_same( 0, count( $GLOBALS['fitlive_wp']['requests'] ) );
} );
