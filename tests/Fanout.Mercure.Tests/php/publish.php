<?php
// Publishes updates through Symfony's Mercure component (Hub + Update), unchanged, as a
// Symfony or API Platform app does. Reads MERCURE_URL and MERCURE_JWT from the environment
// and a JSON array of updates on stdin ({"topics":[...],"data":"...","private":bool,
// "id":?string,"type":?string,"retry":?int}); prints each answered id on its own line.
declare(strict_types=1);

require_once '/usr/share/php/Symfony/Component/Mercure/autoload.php';
require_once '/usr/share/php/Symfony/Component/HttpClient/autoload.php';

use Symfony\Component\Mercure\Hub;
use Symfony\Component\Mercure\Jwt\StaticTokenProvider;
use Symfony\Component\Mercure\Update;

$hub = new Hub(getenv('MERCURE_URL'), new StaticTokenProvider(getenv('MERCURE_JWT')));
$updates = json_decode(stream_get_contents(STDIN), true, 16, JSON_THROW_ON_ERROR);
foreach ($updates as $u) {
    $update = new Update($u['topics'], $u['data'], $u['private'] ?? false, $u['id'] ?? null, $u['type'] ?? null, $u['retry'] ?? null);
    echo $hub->publish($update), "\n";
}
