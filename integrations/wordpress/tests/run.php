<?php
/**
 * The WordPress plugin's unit tests, without WordPress: `php integrations/wordpress/tests/run.php`.
 * One line per test; the exit code is 1 when any test fails.
 *
 * @package FitLive
 */

declare(strict_types=1);

require __DIR__ . '/wp-stubs.php';
require __DIR__ . '/../fitlive/includes/class-fitlive-client.php';
require __DIR__ . '/../fitlive/includes/class-fitlive-settings.php';
require __DIR__ . '/../fitlive/includes/class-fitlive-shortcodes.php';

final class Fitlive_Assertion_Failed extends Exception {}

/** @var list<array{0: string, 1: callable}> */
$GLOBALS['fitlive_tests'] = array();

function test( string $name, callable $body ): void {
	$GLOBALS['fitlive_tests'][] = array( $name, $body );
}

function fail( string $message ): never {
	throw new Fitlive_Assertion_Failed( $message );
}

function show( mixed $value ): string {
	return is_string( $value ) ? '"' . $value . '"' : var_export( $value, true );
}

function assert_same( mixed $expected, mixed $actual, string $what = '' ): void {
	if ( $expected !== $actual ) {
		fail( ( '' !== $what ? $what . ': ' : '' ) . 'expected ' . show( $expected ) . ', got ' . show( $actual ) );
	}
}

function assert_true( bool $condition, string $what ): void {
	if ( ! $condition ) {
		fail( $what );
	}
}

function assert_contains( string $needle, string $haystack, string $what = '' ): void {
	if ( ! str_contains( $haystack, $needle ) ) {
		fail( ( '' !== $what ? $what . ': ' : '' ) . show( $needle ) . ' not found in ' . show( $haystack ) );
	}
}

function assert_not_contains( string $needle, string $haystack, string $what = '' ): void {
	if ( '' !== $needle && str_contains( $haystack, $needle ) ) {
		fail( ( '' !== $what ? $what . ': ' : '' ) . show( $needle ) . ' must not appear in ' . show( $haystack ) );
	}
}

foreach ( glob( __DIR__ . '/test-*.php' ) ?: array() as $file ) {
	require $file;
}

$failed = 0;
foreach ( $GLOBALS['fitlive_tests'] as [ $name, $body ] ) {
	fitlive_wp_reset();
	try {
		$body();
		echo "ok   - {$name}\n";
	} catch ( Throwable $e ) {
		++$failed;
		$where = $e instanceof Fitlive_Assertion_Failed ? '' : ' (' . get_class( $e ) . ' at ' . basename( $e->getFile() ) . ':' . $e->getLine() . ')';
		echo "FAIL - {$name}: " . $e->getMessage() . $where . "\n";
	}
}
$total = count( $GLOBALS['fitlive_tests'] );
echo ( $failed ? "{$failed} of {$total} failed" : "all {$total} passed" ) . "\n";
exit( $failed ? 1 : 0 );
