<?php
/**
 * FitLive_Client on its own: roles, the token request, the answer, escaping.
 *
 * @package FitLive
 */

const FITLIVE_TEST_KEY    = 'flk_0123456789ab_SecretPartOfTheKey0123456789xyz';
const FITLIVE_TEST_SERVER = 'https://media.example-club.com';
const FITLIVE_TEST_TOKEN  = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ3cC03In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';

/** A client whose HTTP calls are recorded and answered by $answer. */
function fitlive_test_client( ?callable $answer = null, array $config = array(), ?array &$calls = null, ?array &$logs = null ): FitLive_Client {
	$calls = array();
	$logs  = array();
	$http  = static function ( string $url, array $headers, string $body ) use ( &$calls, $answer ): array {
		$calls[] = compact( 'url', 'headers', 'body' );
		return $answer ? $answer( $url, $headers, $body ) : array( 'status' => 201, 'body' => json_encode( array( 'token' => FITLIVE_TEST_TOKEN, 'expiresAt' => '2030-01-01T00:00:00.000Z' ) ) );
	};
	$log = static function ( string $line ) use ( &$logs ): void {
		$logs[] = $line;
	};
	return new FitLive_Client( $config + array( 'server' => FITLIVE_TEST_SERVER, 'api_key' => FITLIVE_TEST_KEY, 'ttl' => 900 ), $http, $log );
}

test( 'role: coach only when asked for AND the user has the capability', function (): void {
	assert_same( 'coach', FitLive_Client::decide_role( 'coach', true ) );
	assert_same( 'coach', FitLive_Client::decide_role( ' Coach ', true ), 'case and spaces' );
	assert_same( 'member', FitLive_Client::decide_role( 'coach', false ), 'the shortcode alone is not enough' );
	assert_same( 'member', FitLive_Client::decide_role( 'member', true ), 'a capable user asked to be a member' );
	assert_same( 'member', FitLive_Client::decide_role( 'admin', true ), 'unknown role' );
	assert_same( 'member', FitLive_Client::decide_role( 'viewer', true ), 'viewer is not a class role' );
	assert_same( 'member', FitLive_Client::decide_role( '', true ), 'empty' );
} );

test( 'request: POST <server>/api/v1/tokens, Bearer key, JSON body for a class', function (): void {
	$client = fitlive_test_client();
	$req    = $client->build_token_request( 'class', 'hiit-monday', 'member', 'wp-7', 'Ana Ruiz' );
	assert_same( FITLIVE_TEST_SERVER . '/api/v1/tokens', $req['url'] );
	assert_same( 'Bearer ' . FITLIVE_TEST_KEY, $req['headers']['Authorization'] );
	assert_same( 'application/json', $req['headers']['Content-Type'] );
	assert_same(
		array( 'classId' => 'hiit-monday', 'role' => 'member', 'identity' => 'wp-7', 'name' => 'Ana Ruiz', 'ttlSeconds' => 900 ),
		json_decode( $req['body'], true ),
		'body'
	);
	assert_not_contains( FITLIVE_TEST_KEY, $req['body'], 'the key is only in the header' );
	$coach = json_decode( $client->build_token_request( 'class', 'hiit-monday', 'coach', 'wp-1', 'Sam' )['body'], true );
	assert_same( 'coach', $coach['role'] );
	$odd = json_decode( $client->build_token_request( 'class', 'hiit-monday', 'admin', 'wp-1', 'Sam' )['body'], true );
	assert_same( 'member', $odd['role'], 'anything but coach is a member' );
} );

test( 'request: a stream asks for a viewer token with streamId only', function (): void {
	$req  = fitlive_test_client()->build_token_request( 'stream', 'sunday-hiit', 'coach', 'wp-7', 'Ana' );
	$body = json_decode( $req['body'], true );
	assert_same( array( 'streamId' => 'sunday-hiit', 'role' => 'viewer', 'identity' => 'wp-7', 'name' => 'Ana', 'ttlSeconds' => 900 ), $body );
} );

test( 'config: server URL normalised, unusable ones leave the client unconfigured', function (): void {
	$client = fitlive_test_client( null, array( 'server' => 'https://media.example-club.com/' ) );
	assert_same( 'https://media.example-club.com', $client->server(), 'trailing slash trimmed' );
	assert_same( 'https://media.example-club.com/fitlive.js', $client->script_url() );
	assert_same( 'http://localhost:8080', FitLive_Client::normalize_server( 'http://localhost:8080/' ) );
	assert_same( 'https://example.com/fitlive', FitLive_Client::normalize_server( 'https://example.com/fitlive/' ), 'a path prefix is kept' );
	foreach ( array( '', 'javascript:alert(1)', 'ftp://example.com', 'https://user:pw@example.com', 'https://example.com/?a=1', 'https://example.com/#x', 'example.com', 'https://exa mple.com', 'https://example.com/"onload=' ) as $bad ) {
		assert_same( null, FitLive_Client::normalize_server( $bad ), "refused: {$bad}" );
		assert_true( ! fitlive_test_client( null, array( 'server' => $bad ) )->is_configured(), "not configured with {$bad}" );
	}
	assert_true( ! fitlive_test_client( null, array( 'api_key' => '' ) )->is_configured(), 'no key, not configured' );
} );

test( 'config: token lifetime clamped to what the API accepts', function (): void {
	assert_same( 60, FitLive_Client::clamp_ttl( 5 ) );
	assert_same( 86400, FitLive_Client::clamp_ttl( 10 ** 9 ) );
	assert_same( 1800, FitLive_Client::clamp_ttl( '1800' ) );
	assert_same( FitLive_Client::DEFAULT_TTL, FitLive_Client::clamp_ttl( 'soon' ) );
	assert_same( 60, fitlive_test_client( null, array( 'ttl' => -3 ) )->ttl() );
} );

test( 'names: hostile text goes into JSON as text, cut to 80 UTF-16 units, never empty', function (): void {
	$client  = fitlive_test_client();
	$hostile = '"><script>alert(1)</script> Ana';
	$body    = json_decode( $client->build_token_request( 'class', 'c', 'member', 'wp-1', $hostile )['body'], true );
	assert_same( $hostile, $body['name'], 'kept as typed (the widget shows names as text)' );
	assert_same( 80, strlen( FitLive_Client::clean_name( str_repeat( 'a', 200 ) ) ) );
	assert_same( str_repeat( '💪', 40 ), FitLive_Client::clean_name( str_repeat( '💪', 60 ) ), 'an emoji counts twice, as in JavaScript' );
	assert_same( str_repeat( 'é', 80 ), FitLive_Client::clean_name( str_repeat( 'é', 81 ) ) );
	assert_same( 'Member', FitLive_Client::clean_name( '   ' ) );
	assert_same( 'Member', FitLive_Client::clean_name( "\xff\xfe" ), 'invalid UTF-8' );
	assert_same( 'Ana Ruiz', FitLive_Client::clean_name( "Ana\nRuiz" ), 'control characters' );
} );

test( 'ids: trimmed; empty, over-long, control characters and bad UTF-8 refused', function (): void {
	assert_same( 'hiit-monday', FitLive_Client::clean_id( ' hiit-monday ' ) );
	assert_same( '42', FitLive_Client::clean_id( 42 ) );
	assert_same( '"><script>', FitLive_Client::clean_id( '"><script>' ), 'odd but harmless once escaped' );
	foreach ( array( '', '   ', str_repeat( 'x', 129 ), "a\nb", "\xff", null, array( 'x' ) ) as $bad ) {
		assert_same( null, FitLive_Client::clean_id( $bad ), 'refused: ' . var_export( $bad, true ) );
	}
} );

test( 'answer: 201 with a token', function (): void {
	$r = FitLive_Client::parse_token_response( 201, json_encode( array( 'token' => FITLIVE_TEST_TOKEN, 'expiresAt' => '2030-01-01T00:00:00.000Z' ) ) );
	assert_same( array( 'ok' => true, 'token' => FITLIVE_TEST_TOKEN, 'expires_at' => '2030-01-01T00:00:00.000Z' ), $r );
} );

test( 'answer: errors keep the status and the stable code only', function (): void {
	$cases = array(
		array( 404, '{"error":{"code":"class_not_found","message":"No such class in this club"}}', 'class_not_found' ),
		array( 401, '{"error":{"code":"unauthorized","message":"Unknown or revoked API key"}}', 'unauthorized' ),
		array( 429, '{"error":{"code":"rate_limited","message":"Too many tokens minted this minute"}}', 'rate_limited' ),
		array( 502, '<html>Bad gateway</html>', 'http_error' ),
		array( 400, '{"error":{"code":"<img src=x>","message":"x"}}', 'http_error' ),
		array( 0, '', 'no_answer' ),
		array( 200, '{"token":"' . FITLIVE_TEST_TOKEN . '"}', 'http_error' ),
		array( 201, 'not json', 'bad_answer' ),
		array( 201, '{"token":"\"><script>alert(1)</script>"}', 'bad_answer' ),
		array( 201, '{"token":42}', 'bad_answer' ),
	);
	foreach ( $cases as [ $status, $body, $code ] ) {
		$r = FitLive_Client::parse_token_response( $status, $body );
		assert_same( array( 'ok' => false, 'status' => $status, 'code' => $code ), $r, "{$status} {$body}" );
	}
} );

test( 'mint: one HTTP call; a failure is logged as status and code, without the key', function (): void {
	$client = fitlive_test_client( null, array(), $calls, $logs );
	$ok     = $client->mint( 'class', 'hiit-monday', 'member', 'wp-7', 'Ana' );
	assert_same( true, $ok['ok'] );
	assert_same( 1, count( $calls ) );
	assert_same( array(), $logs, 'nothing logged on success' );

	$client = fitlive_test_client( fn () => array( 'status' => 404, 'body' => '{"error":{"code":"class_not_found","message":"No such class in this club"}}' ), array(), $calls, $logs );
	$r      = $client->mint( 'class', 'nope', 'member', 'wp-7', 'Ana' );
	assert_same( array( 'ok' => false, 'status' => 404, 'code' => 'class_not_found' ), $r );
	assert_same( array( 'FitLive: token request for a class failed: HTTP 404 (class_not_found)' ), $logs );

	$client = fitlive_test_client( function (): array { throw new RuntimeException( 'connect to ' . FITLIVE_TEST_KEY ); }, array(), $calls, $logs );
	$r      = $client->mint( 'stream', 's', 'viewer', 'wp-7', 'Ana' );
	assert_same( 'no_answer', $r['code'] );
	assert_same( 1, count( $logs ) );
	assert_not_contains( FITLIVE_TEST_KEY, $logs[0], 'an exception message is never logged' );
	assert_contains( 'HTTP 0', $logs[0] );
} );

test( 'mint: not configured makes no HTTP call', function (): void {
	$client = fitlive_test_client( null, array( 'server' => '' ), $calls, $logs );
	assert_same( array( 'ok' => false, 'status' => 0, 'code' => 'not_configured' ), $client->mint( 'class', 'c', 'member', 'wp-1', 'A' ) );
	assert_same( 0, count( $calls ) );
} );

test( 'html: the elements with escaped attributes (hostile class id)', function (): void {
	$client = fitlive_test_client();
	assert_same(
		'<fit-class-room server="https://media.example-club.com" class-id="hiit-monday" token="' . FITLIVE_TEST_TOKEN . '"></fit-class-room>',
		$client->render_class_room( 'hiit-monday', FITLIVE_TEST_TOKEN )
	);
	assert_same(
		'<fit-live-stream server="https://media.example-club.com" stream-id="sunday-hiit" token="' . FITLIVE_TEST_TOKEN . '"></fit-live-stream>',
		$client->render_live_stream( 'sunday-hiit', FITLIVE_TEST_TOKEN )
	);
	$html = $client->render_class_room( '"><script>alert(1)</script>', FITLIVE_TEST_TOKEN );
	assert_not_contains( '<script', $html );
	assert_contains( 'class-id="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"', $html );
	$html = $client->render_live_stream( "x' onmouseover='alert(1)", FITLIVE_TEST_TOKEN );
	assert_contains( 'stream-id="x&#039; onmouseover=&#039;alert(1)"', $html );
	assert_not_contains( FITLIVE_TEST_KEY, $html );
	assert_same( '<script type="module" src="https://media.example-club.com/fitlive.js"></script>', $client->script_tag() );
} );

test( 'html: notices are escaped and say nothing about the server', function (): void {
	$html = FitLive_Client::render_login( 'https://club.example/wp-login.php?redirect_to=x&"><script>' );
	assert_contains( 'Log in to join', $html );
	assert_not_contains( '<script', $html );
	assert_contains( 'Log in to watch', FitLive_Client::render_login( 'https://club.example/wp-login.php', 'stream' ) );
	assert_same( '<p class="fitlive-notice">This class is not available.</p>', FitLive_Client::friendly_error( array( 'ok' => false, 'status' => 404, 'code' => 'class_not_found' ) ) );
	$generic = FitLive_Client::friendly_error( array( 'ok' => false, 'status' => 500, 'code' => 'internal_error' ) );
	assert_not_contains( '500', $generic );
	assert_not_contains( 'internal_error', $generic );
} );

test( 'script_loader_tag filter: only the fitlive handle becomes a module', function (): void {
	$other = '<script src="https://club.example/theme.js" id="theme-js"></script>';
	assert_same( $other, FitLive_Client::module_tag( $other, 'theme', 'https://club.example/theme.js' ) );
	$tag = FitLive_Client::module_tag( '<script src="https://media.example-club.com/fitlive.js" id="fitlive-js"></script>', 'fitlive', 'https://media.example-club.com/fitlive.js' );
	assert_same( '<script type="module" src="https://media.example-club.com/fitlive.js" id="fitlive-js"></script>' . "\n", $tag );
	$from_tag = FitLive_Client::module_tag( '<script src="https://media.example-club.com/fitlive.js" id="fitlive-js"></script>', 'fitlive' );
	assert_contains( 'type="module" src="https://media.example-club.com/fitlive.js"', $from_tag, 'src read from the tag when not given' );
} );
