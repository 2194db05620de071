<?php
/**
 * Settings → FitLive: the backend's URL, the club's API key and the token lifetime.
 *
 * The page saves through the Settings API (options.php checks the `fitlive-options` nonce that
 * settings_fields() prints). The API key is stored with autoload off and never printed back: the
 * field stays empty (empty = keep the saved key) and the page shows only its last four characters.
 * Removing the key is a separate admin-post action with its own nonce.
 *
 * @package FitLive
 */

defined( 'ABSPATH' ) || exit;

final class FitLive_Settings {

	public const OPTION_SERVER  = 'fitlive_server';
	public const OPTION_API_KEY = 'fitlive_api_key';
	public const OPTION_TTL     = 'fitlive_token_ttl';

	public const GROUP      = 'fitlive';
	public const PAGE       = 'fitlive';
	public const CAPABILITY = 'manage_options';
	public const FORGET     = 'fitlive_forget_key';

	/** Longest lifetime offered on the page (the backend's default TOKEN_MAX_TTL_SECONDS). */
	public const MAX_TTL_SETTING = 14400;

	public function hooks(): void {
		add_action( 'admin_init', array( $this, 'register' ) );
		add_action( 'admin_menu', array( $this, 'add_page' ) );
		add_action( 'admin_post_' . self::FORGET, array( $this, 'forget_key' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( dirname( __DIR__ ) . '/fitlive.php' ), array( $this, 'action_links' ) );
	}

	/** On activation: the key's option exists from the start with autoload off. */
	public static function activate(): void {
		self::ensure_key_option();
	}

	/** `add_option` does nothing when the option exists; a new one is created not autoloaded. */
	private static function ensure_key_option(): void {
		add_option( self::OPTION_API_KEY, '', '', false );
	}

	public function register(): void {
		// Before options.php saves: update_option then keeps autoload off for the key.
		self::ensure_key_option();

		register_setting(
			self::GROUP,
			self::OPTION_SERVER,
			array(
				'type'              => 'string',
				'default'           => '',
				'sanitize_callback' => array( self::class, 'sanitize_server' ),
				'show_in_rest'      => false,
			)
		);
		register_setting(
			self::GROUP,
			self::OPTION_API_KEY,
			array(
				'type'              => 'string',
				'default'           => '',
				'sanitize_callback' => array( self::class, 'sanitize_api_key' ),
				'show_in_rest'      => false,
			)
		);
		register_setting(
			self::GROUP,
			self::OPTION_TTL,
			array(
				'type'              => 'integer',
				'default'           => FitLive_Client::DEFAULT_TTL,
				'sanitize_callback' => array( self::class, 'sanitize_ttl' ),
				'show_in_rest'      => false,
			)
		);

		add_settings_section( 'fitlive_main', __( 'Connection', 'fitlive' ), array( $this, 'section_intro' ), self::PAGE );
		add_settings_field( self::OPTION_SERVER, __( 'FitLive server URL', 'fitlive' ), array( $this, 'field_server' ), self::PAGE, 'fitlive_main', array( 'label_for' => self::OPTION_SERVER ) );
		add_settings_field( self::OPTION_API_KEY, __( 'Club API key', 'fitlive' ), array( $this, 'field_api_key' ), self::PAGE, 'fitlive_main', array( 'label_for' => self::OPTION_API_KEY ) );
		add_settings_field( self::OPTION_TTL, __( 'Token lifetime (seconds)', 'fitlive' ), array( $this, 'field_ttl' ), self::PAGE, 'fitlive_main', array( 'label_for' => self::OPTION_TTL ) );
	}

	public function add_page(): void {
		add_options_page( __( 'FitLive', 'fitlive' ), __( 'FitLive', 'fitlive' ), self::CAPABILITY, self::PAGE, array( $this, 'render_page' ) );
	}

	/**
	 * @param array<string, string> $links
	 * @return array<string, string>
	 */
	public function action_links( array $links ): array {
		$url = admin_url( 'options-general.php?page=' . self::PAGE );
		array_unshift( $links, sprintf( '<a href="%s">%s</a>', esc_url( $url ), esc_html__( 'Settings', 'fitlive' ) ) );
		return $links;
	}

	// ----------------------------------------------------------------------------------------
	// Sanitizers (called by update_option through register_setting).

	/** An http(s) URL without a trailing slash; an invalid one keeps the saved value. */
	public static function sanitize_server( mixed $value ): string {
		$value = is_string( $value ) ? trim( $value ) : '';
		if ( '' === $value ) {
			return '';
		}
		$url = FitLive_Client::normalize_server( esc_url_raw( $value, array( 'https', 'http' ) ) );
		if ( null === $url ) {
			add_settings_error( self::OPTION_SERVER, 'fitlive_server_invalid', __( 'The server URL must be an http or https address such as https://media.example-club.com.', 'fitlive' ) );
			return (string) get_option( self::OPTION_SERVER, '' );
		}
		return $url;
	}

	/** Empty keeps the saved key (the field is never filled in); something that is not a key is refused. */
	public static function sanitize_api_key( mixed $value ): string {
		$current = (string) get_option( self::OPTION_API_KEY, '' );
		$value   = is_string( $value ) ? trim( $value ) : '';
		if ( '' === $value ) {
			return $current;
		}
		if ( ! FitLive_Client::looks_like_api_key( $value ) ) {
			add_settings_error( self::OPTION_API_KEY, 'fitlive_key_invalid', __( 'That is not a FitLive API key (they start with flk_). The saved key was kept.', 'fitlive' ) );
			return $current;
		}
		return $value;
	}

	public static function sanitize_ttl( mixed $value ): int {
		if ( ! is_numeric( $value ) ) {
			return FitLive_Client::DEFAULT_TTL;
		}
		return max( FitLive_Client::MIN_TTL, min( self::MAX_TTL_SETTING, (int) $value ) );
	}

	/** "…abcd": the most of a saved key the page ever shows. */
	public static function key_hint( string $key ): string {
		return strlen( $key ) >= 12 ? '…' . substr( $key, -4 ) : '';
	}

	// ----------------------------------------------------------------------------------------
	// The page.

	public function section_intro(): void {
		echo '<p>' . esc_html__( 'Tokens are made on this server with the club\'s API key; the key never reaches a visitor\'s browser.', 'fitlive' ) . '</p>';
	}

	public function field_server(): void {
		printf(
			'<input type="url" id="%1$s" name="%1$s" value="%2$s" class="regular-text code" placeholder="https://media.example-club.com" />',
			esc_attr( self::OPTION_SERVER ),
			esc_attr( (string) get_option( self::OPTION_SERVER, '' ) )
		);
		echo '<p class="description">' . esc_html__( 'The FitLive backend; the widget loads from <server>/fitlive.js.', 'fitlive' ) . '</p>';
	}

	public function field_api_key(): void {
		$saved = (string) get_option( self::OPTION_API_KEY, '' );
		// The value attribute stays empty: a saved key is never sent back to the browser.
		printf(
			'<input type="password" id="%1$s" name="%1$s" value="" class="regular-text code" autocomplete="new-password" spellcheck="false" placeholder="%2$s" />',
			esc_attr( self::OPTION_API_KEY ),
			esc_attr( '' === $saved ? 'flk_…' : __( 'saved: leave empty to keep it', 'fitlive' ) )
		);
		if ( '' === $saved ) {
			echo '<p class="description">' . esc_html__( 'No key saved yet. Make one with POST /api/v1/club/api-keys; it is shown once.', 'fitlive' ) . '</p>';
		} else {
			/* translators: %s: the last four characters of the saved key, e.g. "…x9Qz" */
			echo '<p class="description">' . esc_html( sprintf( __( 'A key is saved (ending in %s). Paste a new one to replace it.', 'fitlive' ), self::key_hint( $saved ) ) ) . '</p>';
		}
	}

	public function field_ttl(): void {
		printf(
			'<input type="number" id="%1$s" name="%1$s" value="%2$d" min="%3$d" max="%4$d" step="60" class="small-text" />',
			esc_attr( self::OPTION_TTL ),
			(int) self::sanitize_ttl( get_option( self::OPTION_TTL, FitLive_Client::DEFAULT_TTL ) ),
			FitLive_Client::MIN_TTL,
			self::MAX_TTL_SETTING
		);
		echo '<p class="description">' . esc_html__( 'How long a member\'s token is valid from the moment the page is shown. A class session ends when its token does, so cover the time before the class plus its length (default 3600 = one hour). The server caps it at its own maximum.', 'fitlive' ) . '</p>';
	}

	public function render_page(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		$origin = self::site_origin();
		// Notices (saved, invalid values) are printed by WordPress itself on pages under Settings.
		echo '<div class="wrap"><h1>' . esc_html__( 'FitLive', 'fitlive' ) . '</h1>';
		echo '<form method="post" action="' . esc_url( admin_url( 'options.php' ) ) . '">';
		settings_fields( self::GROUP );
		do_settings_sections( self::PAGE );
		submit_button();
		echo '</form>';

		echo '<h2>' . esc_html__( 'Shortcodes', 'fitlive' ) . '</h2>';
		echo '<p><code>[fitlive_class id="hiit-monday"]</code> ' . esc_html__( 'a class for the logged-in member;', 'fitlive' ) . ' <code>role="coach"</code> ' . esc_html__( 'makes users who can edit posts the coach (everyone else joins as a member).', 'fitlive' ) . '</p>';
		echo '<p><code>[fitlive_stream id="sunday-hiit"]</code> ' . esc_html__( 'a broadcast for the logged-in viewer.', 'fitlive' ) . '</p>';

		echo '<h2>' . esc_html__( 'Allowed origin', 'fitlive' ) . '</h2>';
		echo '<p>' . esc_html__( 'The FitLive backend only answers browsers on sites the club allows. Add this site\'s origin with PUT /api/v1/club/origins:', 'fitlive' ) . ' <code>' . esc_html( $origin ) . '</code></p>';

		if ( '' !== (string) get_option( self::OPTION_API_KEY, '' ) ) {
			echo '<h2>' . esc_html__( 'Remove the API key', 'fitlive' ) . '</h2>';
			echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
			echo '<input type="hidden" name="action" value="' . esc_attr( self::FORGET ) . '" />';
			wp_nonce_field( self::FORGET );
			submit_button( __( 'Remove the saved key', 'fitlive' ), 'delete', 'submit', false );
			echo '</form>';
		}
		echo '</div>';
	}

	/** admin-post.php?action=fitlive_forget_key: deletes the saved key. */
	public function forget_key(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to change these settings.', 'fitlive' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::FORGET );
		delete_option( self::OPTION_API_KEY );
		self::ensure_key_option();
		add_settings_error( self::GROUP, 'fitlive_key_removed', __( 'The API key was removed.', 'fitlive' ), 'success' );
		set_transient( 'settings_errors', get_settings_errors(), 30 );
		wp_safe_redirect( add_query_arg( 'settings-updated', 'true', admin_url( 'options-general.php?page=' . self::PAGE ) ) );
		exit;
	}

	/** This site's web origin (scheme://host[:port]), as the club's allowed origins list it. */
	public static function site_origin(): string {
		$parts = wp_parse_url( home_url() );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return '';
		}
		return ( $parts['scheme'] ?? 'https' ) . '://' . $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
	}
}
