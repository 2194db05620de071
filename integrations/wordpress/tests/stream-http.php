<?php
/**
 * A real HTTP function for FitLive_Client outside WordPress (no wp_remote_post): PHP streams,
 * `file_get_contents` with a `stream_context_create` POST. Used by the integration test that mints
 * a token from a running backend.
 *
 * @package FitLive
 */

/**
 * @return callable(string, array<string, string>, string): array{status: int, body?: string, error?: string}
 */
function fitlive_stream_http( float $timeout = 10.0 ): callable {
	return static function ( string $url, array $headers, string $body ) use ( $timeout ): array {
		$lines = array();
		foreach ( $headers as $name => $value ) {
			$lines[] = $name . ': ' . $value;
		}
		$context = stream_context_create(
			array(
				'http' => array(
					'method'          => 'POST',
					'header'          => implode( "\r\n", $lines ),
					'content'         => $body,
					'timeout'         => $timeout,
					'ignore_errors'   => true, // Read 4xx/5xx bodies too.
					'follow_location' => 0,
				),
			)
		);
		$answer = @file_get_contents( $url, false, $context );
		$status = 0;
		// The last status line wins (there is only one: redirects are not followed).
		foreach ( $http_response_header ?? array() as $line ) {
			if ( preg_match( '#^HTTP/\S+\s+(\d{3})#', $line, $m ) ) {
				$status = (int) $m[1];
			}
		}
		if ( false === $answer ) {
			return array( 'status' => $status, 'error' => 'stream_failed' );
		}
		return array( 'status' => $status, 'body' => $answer );
	};
}
