"""What an event is made of, as a location offers it: team members, services, their
categories and resources with their instances (behaviour 15). Read only, but for
creating and renaming a category."""
