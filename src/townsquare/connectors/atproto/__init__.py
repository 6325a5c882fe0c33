"""townsquare as a Bluesky labeler: signed labels (`labels`), XRPC frames (`frames`), the service record
(`service`), label sync from enforcement outcomes (`sync`) and post intake from the Jetstream (`jetstream`)."""
