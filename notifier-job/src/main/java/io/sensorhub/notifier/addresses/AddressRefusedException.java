package io.sensorhub.notifier.addresses;

import java.net.UnknownHostException;

/**
 * A webhook host resolved only to non-public addresses while private networks are not
 * allowed.
 */
public class AddressRefusedException extends UnknownHostException {

    public AddressRefusedException(String host, String addresses) {
        super("refused: " + host + " resolves to non-public address " + addresses
                + " (sensorhub.webhooks.allow-private-networks=false)");
    }

}
