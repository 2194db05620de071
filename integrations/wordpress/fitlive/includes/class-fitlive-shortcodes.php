<?php
/**
 * The shortcodes `[fitlive_class id="…" role="member|coach"]` and `[fitlive_stream id="…"]`.
 *
 * For a logged-in user each one asks the FitLive backend for a short-lived token (server side,
 * with the club's API key), prints the element and enqueues the widget's module script (WordPress
 * prints an enqueued handle once, however many shortcodes a page has). Logged-out visitors get a
 * "Log in to join" link; a failed token request a short notice and one `error_log` line.
 *
 * @package FitLive
 */

defined( 'ABSPATH' ) || exit;

final class FitLive_Shortcodes {

	/** The capability that lets `role="coach"` through (filter: `fitlive_coach_capability`). */
	public const COACH_CAPABILITY = 'edit_posts';

	/** @var callable|null */
	private $client_factory;
	/** @var callable */
	private $log;
	private ?FitLive_Client $client = null;
	private bool $module_api;
	private bool $filter_added = false;

	/**
	 * @param callable|null $client_factory `fn (): FitLive_Client`; default: from the plugin's options.
	 * @param callable|null $log            Where failures are logged; default `error_log`.
	 * @param bool|null     $module_api     Whether `wp_enqueue_script_module` (WordPress 6.5+) is there; detected by default.
	 */
	public function __construct( ?callable $client_factory = null, ?callable $log = null, ?bool $module_api = null ) {
		$this->client_factory = $client_factory;
		$this->log            = $log ?? 'error_log';
		$this->module_api     = $module_api ?? function_exists( 'wp_enqueue_script_module' );
	}

	public function register(): void {
		add_shortcode( 'fitlive_class', array( $this, 'class_shortcode' ) );
		add_shortcode( 'fitlive_stream', array( $this, 'stream_shortcode' ) );
	}

	/**
	 * `[fitlive_class id="hiit-monday" role="member"]`.
	 *
	 * @param array<string, string>|string $atts
	 */
	public function class_shortcode( $atts = array() ): string {
		$atts = shortcode_atts( array( 'id' => '', 'role' => 'member' ), is_array( $atts ) ? $atts : array(), 'fitlive_class' );
		return $this->render( 'class', $atts['id'], (string) $atts['role'] );
	}

	/**
	 * `[fitlive_stream id="sunday-hiit"]`.
	 *
	 * @param array<string, string>|string $atts
	 */
	public function stream_shortcode( $atts = array() ): string {
		$atts = shortcode_atts( array( 'id' => '' ), is_array( $atts ) ? $atts : array(), 'fitlive_stream' );
		return $this->render( 'stream', $atts['id'], 'viewer' );
	}

	private function render( string $kind, mixed $raw_id, string $requested_role ): string {
		$id = FitLive_Client::clean_id( $raw_id );
		if ( null === $id ) {
			return FitLive_Client::render_notice(
				'stream' === $kind
					? __( 'This broadcast needs an id, e.g. [fitlive_stream id="sunday-hiit"].', 'fitlive' )
					: __( 'This class needs an id, e.g. [fitlive_class id="hiit-monday"].', 'fitlive' )
			);
		}
		if ( ! is_user_logged_in() ) {
			return FitLive_Client::render_login( wp_login_url( (string) get_permalink() ), $kind );
		}
		$client = $this->client();
		if ( ! $client->is_configured() ) {
			return FitLive_Client::friendly_error( array( 'ok' => false, 'status' => 0, 'code' => 'not_configured' ), $kind );
		}

		$user = wp_get_current_user();
		if ( ! $user || empty( $user->ID ) ) {
			return FitLive_Client::render_login( wp_login_url( (string) get_permalink() ), $kind );
		}
		if ( 'stream' === $kind ) {
			$role = 'viewer';
		} else {
			$capability = (string) apply_filters( 'fitlive_coach_capability', self::COACH_CAPABILITY );
			$role       = FitLive_Client::decide_role( $requested_role, '' !== $capability && current_user_can( $capability ) );
		}

		$result = $client->mint( $kind, $id, $role, 'wp-' . (int) $user->ID, (string) $user->display_name );
		if ( ! $result['ok'] ) {
			return FitLive_Client::friendly_error( $result, $kind );
		}

		// A page carrying a personal token must not be served from a page cache to someone else.
		if ( ! defined( 'DONOTCACHEPAGE' ) ) {
			define( 'DONOTCACHEPAGE', true );
		}
		$this->enqueue_script( $client );

		return 'stream' === $kind
			? $client->render_live_stream( $id, $result['token'] )
			: $client->render_class_room( $id, $result['token'] );
	}

	/** The widget's ES module, enqueued under one handle so WordPress prints it once per page. */
	private function enqueue_script( FitLive_Client $client ): void {
		if ( $this->module_api ) {
			wp_enqueue_script_module( FitLive_Client::SCRIPT_HANDLE, $client->script_url(), array(), null );
			return;
		}
		wp_enqueue_script( FitLive_Client::SCRIPT_HANDLE, $client->script_url(), array(), null, true );
		if ( ! $this->filter_added ) {
			add_filter( 'script_loader_tag', array( FitLive_Client::class, 'module_tag' ), 10, 3 );
			$this->filter_added = true;
		}
	}

	private function client(): FitLive_Client {
		if ( null === $this->client ) {
			$this->client = null !== $this->client_factory
				? ( $this->client_factory )()
				: new FitLive_Client(
					array(
						'server'  => (string) get_option( FitLive_Settings::OPTION_SERVER, '' ),
						'api_key' => (string) get_option( FitLive_Settings::OPTION_API_KEY, '' ),
						'ttl'     => (int) get_option( FitLive_Settings::OPTION_TTL, FitLive_Client::DEFAULT_TTL ),
					),
					array( self::class, 'wp_http' ),
					$this->log
				);
		}
		return $this->client;
	}

	/**
	 * The client's HTTP function on WordPress: `wp_remote_post`, no redirects (the Authorization
	 * header never follows one to another host), a 10 s timeout, TLS verified.
	 *
	 * @param array<string, string> $headers
	 * @return array{status: int, body?: string, error?: string}
	 */
	public static function wp_http( string $url, array $headers, string $body ): array {
		$response = wp_remote_post(
			$url,
			array(
				'headers'     => $headers,
				'body'        => $body,
				'timeout'     => 10,
				'redirection' => 0,
				'data_format' => 'body',
			)
		);
		if ( is_wp_error( $response ) ) {
			return array( 'status' => 0, 'error' => (string) $response->get_error_code() );
		}
		return array(
			'status' => (int) wp_remote_retrieve_response_code( $response ),
			'body'   => (string) wp_remote_retrieve_body( $response ),
		);
	}
}
