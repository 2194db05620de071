<?php
/**
 * FitLive_Client: everything the plugin decides, without WordPress.
 *
 * It builds the request for `POST <server>/api/v1/tokens`, sends it through an injected HTTP
 * function, reads the answer, decides the role and renders the elements' HTML. The token, request
 * and role logic is plain PHP; rendering uses WordPress's escaping functions (`esc_attr`,
 * `esc_url`, `esc_html`) and `__()`, which the unit tests stub. WordPress itself is wired in by
 * FitLive_Shortcodes.
 *
 * The HTTP function: `fn (string $url, array $headers, string $body): array` answering
 * `['status' => int, 'body' => string]`, or `['status' => 0, 'error' => string]` when nothing came
 * back. It may also throw; that counts as no answer.
 *
 * The club's API key only ever goes into the request's Authorization header: never into HTML,
 * never into a log line.
 *
 * @package FitLive
 */

defined( 'ABSPATH' ) || exit;

final class FitLive_Client {

	/** The backend refuses shorter or longer lifetimes (`ttlSeconds`); it also caps at its own maximum. */
	public const MIN_TTL = 60;
	public const MAX_TTL = 86400;
	public const DEFAULT_TTL = 3600;

	/** Limits of the token API's fields (class and stream ids, display names). */
	public const MAX_ID_LENGTH = 128;
	public const MAX_NAME_LENGTH = 80;

	/** The script handle / module id the page loads the widget under. */
	public const SCRIPT_HANDLE = 'fitlive';

	private string $server;
	private string $api_key;
	private int $ttl;
	/** @var callable */
	private $http;
	/** @var callable|null */
	private $log;

	/**
	 * @param array{server?: string, api_key?: string, ttl?: int|string} $config
	 * @param callable      $http HTTP POST function, see the file comment.
	 * @param callable|null $log  Receives one line per failed token request (e.g. `error_log`).
	 */
	public function __construct( array $config, callable $http, ?callable $log = null ) {
		$this->server  = self::normalize_server( (string) ( $config['server'] ?? '' ) ) ?? '';
		$this->api_key = trim( (string) ( $config['api_key'] ?? '' ) );
		$this->ttl     = self::clamp_ttl( $config['ttl'] ?? self::DEFAULT_TTL );
		$this->http    = $http;
		$this->log     = $log;
	}

	/** A server URL and an API key are both set. */
	public function is_configured(): bool {
		return '' !== $this->server && '' !== $this->api_key;
	}

	public function server(): string {
		return $this->server;
	}

	public function ttl(): int {
		return $this->ttl;
	}

	/** Where the widget's single ES module lives. */
	public function script_url(): string {
		return $this->server . '/fitlive.js';
	}

	// ----------------------------------------------------------------------------------------
	// Pure helpers.

	/**
	 * The backend's base URL: http(s) with a host, no credentials, query or fragment, no trailing
	 * slash. Null when unusable.
	 */
	public static function normalize_server( string $url ): ?string {
		$url = trim( $url );
		if ( '' === $url || preg_match( '/[\s"\'<>\\\\]/', $url ) ) {
			return null;
		}
		$parts = parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return null;
		}
		$scheme = strtolower( $parts['scheme'] ?? '' );
		if ( ( 'https' !== $scheme && 'http' !== $scheme ) || isset( $parts['user'] ) || isset( $parts['pass'] ) || isset( $parts['query'] ) || isset( $parts['fragment'] ) ) {
			return null;
		}
		return rtrim( $url, '/' );
	}

	/** A token lifetime within what the token API accepts. */
	public static function clamp_ttl( mixed $ttl ): int {
		if ( ! is_numeric( $ttl ) ) {
			return self::DEFAULT_TTL;
		}
		return max( self::MIN_TTL, min( self::MAX_TTL, (int) $ttl ) );
	}

	/** The shape of a FitLive club API key (`flk_<id>_<secret>`). */
	public static function looks_like_api_key( string $key ): bool {
		return 1 === preg_match( '/^flk_[0-9a-f]{12}_[A-Za-z0-9_-]{20,64}$/', $key );
	}

	/**
	 * The role a shortcode's user gets in a class. `coach` only when the shortcode asks for it AND
	 * the WordPress user holds the coach capability; anything else is a member.
	 */
	public static function decide_role( string $requested, bool $user_can_coach ): string {
		return ( 'coach' === strtolower( trim( $requested ) ) && $user_can_coach ) ? 'coach' : 'member';
	}

	/** A class or stream id as given in a shortcode, or null when it cannot be one. */
	public static function clean_id( mixed $id ): ?string {
		if ( ! is_string( $id ) && ! is_int( $id ) ) {
			return null;
		}
		$id = trim( (string) $id );
		if ( '' === $id || strlen( $id ) > self::MAX_ID_LENGTH || preg_match( '/[\x00-\x1f\x7f]/', $id ) || ! preg_match( '//u', $id ) ) {
			return null;
		}
		return $id;
	}

	/**
	 * A display name the token API accepts: valid UTF-8, no control characters, trimmed, at most
	 * 80 UTF-16 code units (how the backend counts), never empty.
	 */
	public static function clean_name( string $name, string $fallback = 'Member' ): string {
		if ( ! preg_match( '//u', $name ) ) {
			$name = '';
		}
		$name  = trim( (string) preg_replace( '/[\x00-\x1f\x7f]+/u', ' ', $name ) );
		$chars = preg_split( '//u', $name, -1, PREG_SPLIT_NO_EMPTY );
		$out   = '';
		$units = 0;
		foreach ( $chars ?: array() as $char ) {
			$width = strlen( $char ) === 4 ? 2 : 1;
			if ( $units + $width > self::MAX_NAME_LENGTH ) {
				break;
			}
			$out   .= $char;
			$units += $width;
		}
		$out = trim( $out );
		return '' === $out ? $fallback : $out;
	}

	/**
	 * The token request for one person.
	 *
	 * @param string $kind     `class` (role coach|member) or `stream` (role viewer).
	 * @param string $id       The class or stream id.
	 * @param string $role     For a class: `coach` or `member` (decided by decide_role()).
	 * @param string $identity The person's id in the club (the plugin uses `wp-<user ID>`).
	 * @param string $name     Display name.
	 * @return array{url: string, headers: array<string, string>, body: string}
	 */
	public function build_token_request( string $kind, string $id, string $role, string $identity, string $name ): array {
		if ( 'stream' === $kind ) {
			$payload = array( 'streamId' => $id, 'role' => 'viewer' );
		} else {
			$payload = array( 'classId' => $id, 'role' => 'coach' === $role ? 'coach' : 'member' );
		}
		$payload['identity']   = $identity;
		$payload['name']       = self::clean_name( $name );
		$payload['ttlSeconds'] = $this->ttl;

		return array(
			'url'     => $this->server . '/api/v1/tokens',
			'headers' => array(
				'Authorization' => 'Bearer ' . $this->api_key,
				'Content-Type'  => 'application/json',
				'Accept'        => 'application/json',
			),
			'body'    => (string) json_encode( $payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE ),
		);
	}

	/**
	 * Reads the token API's answer. Only a 201 with a JWT-shaped token counts; otherwise the
	 * status and the answer's stable error code (never its message) are kept for the log.
	 *
	 * @return array{ok: true, token: string, expires_at: string}|array{ok: false, status: int, code: string}
	 */
	public static function parse_token_response( int $status, string $body ): array {
		$data = json_decode( $body, true );
		if ( 201 === $status ) {
			$token = is_array( $data ) ? ( $data['token'] ?? null ) : null;
			if ( is_string( $token ) && strlen( $token ) <= 4096 && preg_match( '/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/', $token ) ) {
				$expires = $data['expiresAt'] ?? '';
				return array(
					'ok'         => true,
					'token'      => $token,
					'expires_at' => is_string( $expires ) ? $expires : '',
				);
			}
			return array( 'ok' => false, 'status' => $status, 'code' => 'bad_answer' );
		}
		$code = is_array( $data ) && is_array( $data['error'] ?? null ) ? ( $data['error']['code'] ?? '' ) : '';
		if ( ! is_string( $code ) || ! preg_match( '/^[a-z_]{1,64}$/', $code ) ) {
			$code = 0 === $status ? 'no_answer' : 'http_error';
		}
		return array( 'ok' => false, 'status' => $status, 'code' => $code );
	}

	/**
	 * Mints a token through the API. A failure is logged as one line (status and error code only).
	 *
	 * @return array{ok: true, token: string, expires_at: string}|array{ok: false, status: int, code: string}
	 */
	public function mint( string $kind, string $id, string $role, string $identity, string $name ): array {
		if ( ! $this->is_configured() ) {
			return array( 'ok' => false, 'status' => 0, 'code' => 'not_configured' );
		}
		$request = $this->build_token_request( $kind, $id, $role, $identity, $name );
		try {
			$answer = ( $this->http )( $request['url'], $request['headers'], $request['body'] );
		} catch ( \Throwable $e ) {
			$answer = array( 'status' => 0, 'error' => 'exception' );
		}
		$status = is_array( $answer ) && is_int( $answer['status'] ?? null ) ? $answer['status'] : 0;
		$body   = is_array( $answer ) && is_string( $answer['body'] ?? null ) ? $answer['body'] : '';
		$result = self::parse_token_response( $status, $body );
		if ( ! $result['ok'] && null !== $this->log ) {
			$why = is_array( $answer ) && is_string( $answer['error'] ?? null ) && preg_match( '/^[A-Za-z0-9_.-]{1,64}$/', $answer['error'] ) ? ', ' . $answer['error'] : '';
			( $this->log )( sprintf( 'FitLive: token request for %s failed: HTTP %d (%s%s)', 'stream' === $kind ? 'a stream' : 'a class', $status, $result['code'], $why ) );
		}
		return $result;
	}

	// ----------------------------------------------------------------------------------------
	// HTML.

	/** `<fit-class-room server class-id token>`. */
	public function render_class_room( string $class_id, string $token ): string {
		return sprintf(
			'<fit-class-room server="%s" class-id="%s" token="%s"></fit-class-room>',
			esc_url( $this->server ),
			esc_attr( $class_id ),
			esc_attr( $token )
		);
	}

	/** `<fit-live-stream server stream-id token>`. */
	public function render_live_stream( string $stream_id, string $token ): string {
		return sprintf(
			'<fit-live-stream server="%s" stream-id="%s" token="%s"></fit-live-stream>',
			esc_url( $this->server ),
			esc_attr( $stream_id ),
			esc_attr( $token )
		);
	}

	/** The widget's module script tag (WordPress prints it from the enqueue; kept here for other hosts). */
	public function script_tag(): string {
		return sprintf( '<script type="module" src="%s"></script>', esc_url( $this->script_url() ) );
	}

	/**
	 * `script_loader_tag` filter for WordPress before 6.5 (no script modules): loads the widget's
	 * classic-enqueued handle as an ES module.
	 */
	public static function module_tag( string $tag, string $handle, string $src = '' ): string {
		if ( self::SCRIPT_HANDLE !== $handle ) {
			return $tag;
		}
		if ( '' === $src && preg_match( '/\ssrc=(["\'])(.*?)\1/', $tag, $m ) ) {
			$src = html_entity_decode( $m[2], ENT_QUOTES );
		}
		return sprintf( '<script type="module" src="%s" id="%s-js"></script>' . "\n", esc_url( $src ), esc_attr( $handle ) );
	}

	/** "Log in to join", linking to the login page that comes back to this page. */
	public static function render_login( string $login_url, string $kind = 'class' ): string {
		$text = 'stream' === $kind ? __( 'Log in to watch', 'fitlive' ) : __( 'Log in to join', 'fitlive' );
		return sprintf( '<p class="fitlive-notice fitlive-login"><a href="%s">%s</a></p>', esc_url( $login_url ), esc_html( $text ) );
	}

	/** A short notice in place of the element. */
	public static function render_notice( string $text ): string {
		return sprintf( '<p class="fitlive-notice">%s</p>', esc_html( $text ) );
	}

	/**
	 * What a visitor reads when no token could be made: plain words, no status, no server answer.
	 *
	 * @param array{ok: false, status: int, code: string} $result
	 */
	public static function friendly_error( array $result, string $kind = 'class' ): string {
		$code = $result['code'] ?? '';
		if ( 'not_configured' === $code ) {
			$text = __( 'Live classes are not set up on this site yet.', 'fitlive' );
		} elseif ( 'class_not_found' === $code || 'stream_not_found' === $code || 404 === ( $result['status'] ?? 0 ) ) {
			$text = 'stream' === $kind ? __( 'This broadcast is not available.', 'fitlive' ) : __( 'This class is not available.', 'fitlive' );
		} else {
			$text = 'stream' === $kind
				? __( 'The broadcast could not be loaded right now. Please try again in a moment.', 'fitlive' )
				: __( 'The class could not be loaded right now. Please try again in a moment.', 'fitlive' );
		}
		return self::render_notice( $text );
	}
}
