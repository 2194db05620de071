<?php
/**
 * The few WordPress functions the plugin's client and shortcodes call, as small stand-ins driven
 * by one array of state (`$GLOBALS['fitlive_wp']`, reset before every test). They behave like
 * WordPress where the tests depend on it: escaping, options, the current user and capabilities,
 * enqueued scripts and modules printed once per handle, filters.
 *
 * @package FitLive
 */

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}

/** Fresh state: logged out, no options, nothing enqueued. */
function fitlive_wp_reset(): void {
	$GLOBALS['fitlive_wp'] = array(
		'user'          => null,  // WP_User-like object when logged in.
		'caps'          => array(),
		'options'       => array(),
		'permalink'     => 'https://club.example/classes/hiit/',
		'remote_post'   => null,  // fn (string $url, array $args): array|WP_Error.
		'requests'      => array(),
		'modules'       => array(), // id => src, as wp_enqueue_script_module keeps them.
		'scripts'       => array(), // handle => src.
		'filters'       => array(), // hook => list of [callable, accepted args].
		'shortcodes'    => array(),
		'settings_errors' => array(),
	);
}
fitlive_wp_reset();

class WP_Error {
	public function __construct( private string $code = '', private string $message = '' ) {}
	public function get_error_code(): string {
		return $this->code;
	}
	public function get_error_message(): string {
		return $this->message;
	}
}

class WP_User {
	public function __construct( public int $ID = 0, public string $display_name = '' ) {}
}

// Escaping and translation.

function esc_html( $text ): string {
	return htmlspecialchars( (string) $text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8' );
}
function esc_attr( $text ): string {
	return htmlspecialchars( (string) $text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8' );
}
/** Like WordPress: only allowed protocols survive; & becomes &#038;, quotes are encoded. */
function esc_url( $url, $protocols = null ): string {
	$url = trim( (string) $url );
	if ( '' === $url || preg_match( '/[\x00-\x20]/', $url ) ) {
		return '';
	}
	$scheme = strtolower( (string) parse_url( $url, PHP_URL_SCHEME ) );
	if ( '' !== $scheme && ! in_array( $scheme, $protocols ?? array( 'http', 'https', 'mailto' ), true ) ) {
		return '';
	}
	return str_replace( array( '&', '"', "'", '<', '>' ), array( '&#038;', '&#034;', '&#039;', '%3C', '%3E' ), $url );
}
function esc_url_raw( $url, $protocols = null ): string {
	$url = trim( (string) $url );
	$scheme = strtolower( (string) parse_url( $url, PHP_URL_SCHEME ) );
	if ( '' === $url || ( '' !== $scheme && ! in_array( $scheme, $protocols ?? array( 'http', 'https' ), true ) ) ) {
		return '';
	}
	return $url;
}
function __( $text, $domain = 'default' ): string {
	return (string) $text;
}
function esc_html__( $text, $domain = 'default' ): string {
	return esc_html( $text );
}
function wp_json_encode( $data, $flags = 0, $depth = 512 ) {
	return json_encode( $data, $flags, $depth );
}
function is_wp_error( $thing ): bool {
	return $thing instanceof WP_Error;
}

// Options.

function get_option( $name, $default = false ) {
	return array_key_exists( $name, $GLOBALS['fitlive_wp']['options'] ) ? $GLOBALS['fitlive_wp']['options'][ $name ] : $default;
}
function update_option( $name, $value, $autoload = null ): bool {
	$GLOBALS['fitlive_wp']['options'][ $name ] = $value;
	return true;
}
function add_option( $name, $value = '', $deprecated = '', $autoload = null ): bool {
	if ( array_key_exists( $name, $GLOBALS['fitlive_wp']['options'] ) ) {
		return false;
	}
	$GLOBALS['fitlive_wp']['options'][ $name ] = $value;
	return true;
}
function delete_option( $name ): bool {
	unset( $GLOBALS['fitlive_wp']['options'][ $name ] );
	return true;
}
function add_settings_error( $setting, $code, $message, $type = 'error' ): void {
	$GLOBALS['fitlive_wp']['settings_errors'][] = compact( 'setting', 'code', 'message', 'type' );
}

// Users.

function is_user_logged_in(): bool {
	return null !== $GLOBALS['fitlive_wp']['user'];
}
function wp_get_current_user() {
	return $GLOBALS['fitlive_wp']['user'] ?? new WP_User();
}
function current_user_can( $capability, ...$args ): bool {
	return null !== $GLOBALS['fitlive_wp']['user'] && in_array( $capability, $GLOBALS['fitlive_wp']['caps'], true );
}
function wp_login_url( $redirect = '' ): string {
	return 'https://club.example/wp-login.php' . ( '' !== $redirect ? '?redirect_to=' . rawurlencode( (string) $redirect ) : '' );
}
function get_permalink( $post = 0 ) {
	return $GLOBALS['fitlive_wp']['permalink'];
}

// Shortcodes, hooks, scripts.

function shortcode_atts( $pairs, $atts, $shortcode = '' ): array {
	$out = array();
	foreach ( $pairs as $name => $default ) {
		$out[ $name ] = array_key_exists( $name, (array) $atts ) ? $atts[ $name ] : $default;
	}
	return $out;
}
function add_shortcode( $tag, $callback ): void {
	$GLOBALS['fitlive_wp']['shortcodes'][ $tag ] = $callback;
}
function add_filter( $hook, $callback, $priority = 10, $accepted_args = 1 ): bool {
	$GLOBALS['fitlive_wp']['filters'][ $hook ][] = array( $callback, $accepted_args );
	return true;
}
function apply_filters( $hook, $value, ...$args ) {
	foreach ( $GLOBALS['fitlive_wp']['filters'][ $hook ] ?? array() as [ $callback, $accepted ] ) {
		$value = $callback( ...array_slice( array_merge( array( $value ), $args ), 0, $accepted ) );
	}
	return $value;
}
function wp_enqueue_script_module( $id, $src = '', $deps = array(), $version = false ): void {
	$GLOBALS['fitlive_wp']['modules'][ $id ] ??= $src;
}
function wp_enqueue_script( $handle, $src = '', $deps = array(), $ver = false, $args = array() ): void {
	$GLOBALS['fitlive_wp']['scripts'][ $handle ] ??= $src;
}
/** What wp_footer prints for the enqueued modules and scripts: one tag per id / handle. */
function fitlive_wp_footer(): string {
	$html = '';
	foreach ( $GLOBALS['fitlive_wp']['modules'] as $id => $src ) {
		$html .= sprintf( '<script type="module" src="%s" id="%s-js-module"></script>' . "\n", esc_url( $src ), esc_attr( $id ) );
	}
	foreach ( $GLOBALS['fitlive_wp']['scripts'] as $handle => $src ) {
		$tag   = sprintf( '<script src="%s" id="%s-js"></script>' . "\n", esc_url( $src ), esc_attr( $handle ) );
		$html .= apply_filters( 'script_loader_tag', $tag, $handle, $src );
	}
	return $html;
}

// HTTP.

function wp_remote_post( $url, $args = array() ) {
	$GLOBALS['fitlive_wp']['requests'][] = array( 'url' => $url, 'args' => $args );
	$handler = $GLOBALS['fitlive_wp']['remote_post'];
	return null === $handler ? new WP_Error( 'http_request_failed', 'no handler' ) : $handler( $url, $args );
}
function wp_remote_retrieve_response_code( $response ) {
	return is_array( $response ) ? ( $response['response']['code'] ?? '' ) : '';
}
function wp_remote_retrieve_body( $response ): string {
	return is_array( $response ) ? (string) ( $response['body'] ?? '' ) : '';
}
/** A wp_remote_post answer as WordPress shapes it. */
function fitlive_wp_response( int $code, string $body ): array {
	return array( 'response' => array( 'code' => $code, 'message' => '' ), 'body' => $body, 'headers' => array() );
}
