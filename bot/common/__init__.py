"""Small pieces every feature uses: rules that must have exactly one implementation."""
